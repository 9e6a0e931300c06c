import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { eventSchemas } from "@/db/schema";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { resolveOrgScope } from "@/lib/access/scope";
import { ingest } from "../ingest";
import type { EventFilter } from "../search";
import { toAuditEvent } from "../stored-event";
import { csvCopyStatement, readCsvChunks } from "./csv-copy";
import { BASE_CSV_COLUMNS } from "./format";
import { csvMetadataColumns, exportSelection, readEventPage, readPages } from "./rows";

const column = (name: string) => BASE_CSV_COLUMNS.indexOf(name as (typeof BASE_CSV_COLUMNS)[number]);

async function orgWith(events: Record<string, unknown>[], schemaColumns: string[] = []) {
  const org = await createOrg("csv");
  const { principal } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
  const action = `test.csv_${randomUUID().slice(0, 8)}`;
  if (schemaColumns.length) await db().insert(eventSchemas).values({ action, version: 1, display: { columns: schemaColumns } });
  const base = Date.now() - 60_000;
  await ingest(principal, { events: events.map((e, i) => event({ action, occurred_at: new Date(base + i * 1000).toISOString(), ...e })) }, null).catch((error) => {
    throw new Error(JSON.stringify(error.details ?? error));
  });
  return { org, scope: await resolveOrgScope(principal, org.id), action };
}

/** The CSV body of an export, parsed back, beside the same rows as the API shapes them. */
async function exported(scope: Awaited<ReturnType<typeof resolveOrgScope>>, filter: EventFilter = {}) {
  const selection = await exportSelection(scope, filter);
  const parts: Uint8Array[] = [];
  let rows = 0;
  for await (const chunk of readCsvChunks(selection, await csvMetadataColumns(scope.organization.id), "asc")) {
    parts.push(chunk.data);
    rows += chunk.rows;
  }
  const text = Buffer.concat(parts).toString("utf8");
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true, delimiter: "," });
  expect(parsed.errors).toEqual([]);
  expect(rows).toBe(parsed.data.length);
  const api = (await readEventPage(selection, null, "asc", 1_000)).rows.map(toAuditEvent);
  return { text, cells: parsed.data, api };
}

describe("CSV written by PostgreSQL's COPY", () => {
  it.each([
    ['=HYPERLINK("http://evil.test","click")', "'=HYPERLINK(\"http://evil.test\",\"click\")"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["-2+3", "'-2+3"],
    ["+cmd", "'+cmd"],
    ["\tstarts with tab", "'\tstarts with tab"],
    ["\rstarts with CR", "'\rstarts with CR"],
    ["=1+1\nsecond line", "'=1+1\nsecond line"],
    ['say "hi", then\r\nleave', 'say "hi", then\r\nleave'],
    ["🦄👩‍💻 ünïcödé", "🦄👩‍💻 ünïcödé"],
    ["safe = later", "safe = later"],
    [" padded ", " padded "],
  ])("neutralizes formula cells and keeps the value otherwise: %j", async (value, expected) => {
    const { scope } = await orgWith([{ actor: { type: "user", id: "u_1", name: value }, targets: [{ type: "document", id: "d", name: value }], context: { user_agent: value } }]);
    const { text, cells } = await exported(scope);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(cells[0]![column("actor_name")]).toBe(expected);
    expect(cells[0]![column("target_names")]).toBe(expected);
    expect(cells[0]![column("user_agent")]).toBe(expected);
  });

  it("writes the address of every form as the API does, UTC ISO times, and target lists in order", async () => {
    const addresses = ["203.0.113.7", "2001:DB8:0:0:0:0:0:1", "::102:304", "::1.2.3.4", "::ffff:198.51.100.1", "1:2:3:4:5:6:1.2.3.4", "::1", "::ffff", "::1:0", "fe80::abcd:0:0:7", "64:ff9b::192.0.2.33"];
    const targets = [
      { type: "document", id: "doc_7", name: "Q3 plan" },
      { type: "folder", id: "f_1" },
      { type: "user", id: "u_9", name: "Bo" },
    ];
    const { scope } = await orgWith(addresses.map((location) => ({ context: { location, user_agent: "ua" }, targets })));
    const { cells, api } = await exported(scope);
    expect(cells.map((c) => c[column("ip")])).toEqual(api.map((e) => e.context.location));
    cells.forEach((c, i) => {
      expect(c[column("id")]).toBe(api[i]!.id);
      expect(c[column("occurred_at")]).toBe(api[i]!.occurred_at);
      expect(c[column("received_at")]).toBe(api[i]!.received_at);
      expect([c[column("target_types")], c[column("target_ids")], c[column("target_names")]]).toEqual(["document; folder; user", "doc_7; f_1; u_9", "Q3 plan; ; Bo"]);
    });
  });

  it("writes an empty actor name, IP, user agent and metadata as empty cells and {}, and schema columns by their JSON type", async () => {
    const { org, scope } = await orgWith(
      [{ actor: { type: "user", id: "u_1" }, context: undefined, targets: [], metadata: {} }, { metadata: { count: -3 } }],
      ["count", "flag", "limits", "missing", "nothing", "shared_with"],
    );
    // Ingest takes flat metadata only; Orgtrail's own events may nest (orgtrail.api_key.created has a `scopes` array column).
    const metadata = { limits: { max: 5, "a, b": ["x: y", null] }, count: -3, flag: true, nothing: null, shared_with: "finance@acme.test", 'quote"d': "v" };
    await sql()`update audit_events set metadata = ${sql().json(metadata)} where organization_id = ${org.id} and metadata = '{"count": -3}'::jsonb`;
    const { cells } = await exported(scope);
    const [bare, full] = cells as [string[], string[]];
    const base = BASE_CSV_COLUMNS.length;
    expect([bare[column("actor_name")], bare[column("ip")], bare[column("user_agent")], bare[column("metadata")], bare[column("target_types")]]).toEqual(["", "", "", "{}", ""]);
    expect(bare.slice(base)).toEqual(["", "", "", "", "", ""]);
    expect(JSON.parse(full[column("metadata")]!)).toEqual(metadata);
    expect(full[column("metadata")]).toBe(JSON.stringify(JSON.parse(full[column("metadata")]!)));
    expect(full.slice(base)).toEqual(["'-3", "true", JSON.stringify({ max: 5, "a, b": ["x: y", null] }), "", "", "finance@acme.test"]);
  });

  it("writes metadata with the API's values, in jsonb's key order and plain decimal numbers", async () => {
    const metadata = { b: "x, y: z", "10": 1e-7, big: 1e21, n: -0.5 };
    const { scope } = await orgWith([{ metadata }]);
    const { cells, api } = await exported(scope);
    const cell = cells[0]![column("metadata")]!;
    expect(JSON.parse(cell)).toEqual(api[0]!.metadata);
    expect(JSON.parse(cell)).toEqual(metadata);
    // jsonb orders keys by length, then bytes, and writes numbers without exponents; JSON.parse reads the same values back.
    expect(cell).toBe('{"b":"x, y: z","n":-0.5,"10":0.0000001,"big":1000000000000000000000}');
  });

  it("exports exactly the rows the parameterized query reads, for filters full of quotes and backslashes, and takes no parameters", async () => {
    const names = ["o'brien", "back\\slash", "E'x'", "$1", "plain"];
    const { scope, action } = await orgWith(names.map((name) => ({ actor: { type: "user", id: name, name } })));
    for (const q of [`actor:"o'brien"`, `actor:"back\\\\slash"`, "back\\slash", `"E'x'"`, "$1", `action:${action} -actor:plain`, "'; select 1; --"]) {
      const { cells, api } = await exported(scope, { q });
      expect(cells.map((c) => c[column("id")]), q).toEqual(api.map((e) => e.id));
    }
    const statement = csvCopyStatement(await exportSelection(scope, { q: "o'brien" }), [], "desc");
    expect(statement).not.toMatch(/\$\d/);
    expect(statement).toMatch(/^copy \(/);
  });
});

describe("an actor filter's pages", () => {
  it("read each way the actor matches (id, name, email) in order, across pages, as the COPY reads the whole filter", async () => {
    const V = "pat@acme.test";
    const actors = [
      { type: "user", id: V },
      { type: "user", id: "u_other", name: "Other" },
      { type: "user", id: "u_pat", name: "Pat", metadata: { email: V } },
      { type: "service", id: "u_svc", name: V },
      { type: "user", id: V, name: V, metadata: { email: V } },
      { type: "user", id: "u_q", metadata: { email: V } },
      { type: "user", id: "u_nope", metadata: { email: "nope@acme.test" } },
    ];
    const { scope } = await orgWith(actors.map((actor) => ({ actor })));
    const { cells } = await exported(scope, { q: `actor:${V}` });
    const copied = cells.map((row) => row[column("id")]);
    expect(copied).toHaveLength(5);
    const selection = await exportSelection(scope, { q: `actor:${V}` });
    expect(selection.alternatives).toHaveLength(3);
    for (const order of ["asc", "desc"] as const) {
      const paged: string[] = [];
      for await (const rows of readPages((position) => readEventPage(selection, position, order, 2))) paged.push(...rows.map((row) => row.id));
      expect(paged, order).toEqual(order === "asc" ? copied : [...copied].reverse());
    }
  });
});
