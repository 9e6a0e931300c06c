import { beforeAll, describe, expect, it } from "vitest";
import { desc, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { eventColumns } from "./event-columns";
import { ingest } from "./ingest";
import { eventsAfterSeq, searchEvents } from "./search";
import { ndjsonRows } from "./export/format";
import { exportSelection, readEventPage, readPages } from "./export/rows";
import { toAuditEvent, type StoredEventRow } from "./stored-event";
import { visibleEvents } from "./store/visible-events";

/** Events of every shape ingest stores: each optional part present and absent, and text that JSON must escape. */
const INGESTED = [
  event({ metadata: { n: 0 } }),
  event({ actor: { type: "user", id: "u_2" }, targets: [], context: {}, metadata: { n: 1 } }),
  event({
    actor: { type: "user", id: "u_3", name: "Zoë \"Quote\" \\ Back", metadata: { email: "zoe@acme.test", admin: true, logins: 3 } },
    targets: [
      { type: "document", id: "doc_1" },
      { type: "document", id: "doc_2", name: "Plan\nB\t✓", metadata: { size: 1.5, b_key: "x", a: false } },
      { type: "folder", id: "f_1", metadata: { depth: 2 } },
    ],
    context: { location: "2001:DB8:0:0:0:0:0:5", user_agent: "Mozilla/5.0 \u0001 \u2028 🦊" },
    metadata: { n: 2, z: "last", a: "first", amount: 12345678901, ratio: 0.30000000000000004, big: 1e21, neg: -0.5, html: "</script><b>" },
  }),
  event({ context: { location: "::ffff:198.51.100.4" }, metadata: { n: 3 } }),
  event({ context: { location: "::198.51.100.4" }, metadata: { n: 4 } }),
  event({ context: { location: "0:0:1:0:0:2:3:4" }, metadata: { n: 5 } }),
  event({ context: { user_agent: "" }, metadata: { n: 6 } }),
  event({ occurred_at: "1970-01-01T00:00:00.008Z", metadata: { n: 7 } }),
  event({ actor: { type: "service", id: "svc", metadata: { only: "metadata" } }, metadata: { n: 8 } }),
];

/** Stored forms ingest does not write but a row may hold: each set on one ingested event by hand. */
const STORED_FORMS: Record<string, string> = {
  "an IPv4-mapped inet": "ip = '::ffff:203.0.113.9'",
  "an IPv4-compatible inet": "ip = '::203.0.113.9'",
  "a network, not an address": "ip = '10.0.0.0/8'",
  "an IPv6 network": "ip = '2001:db8::/32'",
  "no IP": "ip = null",
  "JSON null metadata": "metadata = 'null'::jsonb, actor_metadata = 'null'::jsonb",
  "SQL null metadata": "metadata = null, actor_metadata = null",
  "targets with null names and unknown keys": `targets = '[{"type":"a","id":"1","name":null,"metadata":null,"extra":1},{"id":"2","type":"b"}]'::jsonb`,
  "microseconds": "received_at = date_trunc('second', received_at) + interval '0.123987 second', occurred_at = date_trunc('second', occurred_at) + interval '0.000999 second'",
};

let scope: Scope;

beforeAll(async () => {
  const org = await createOrg("page-rows");
  const { principal } = await createKey(org.id);
  await ingest(principal, { events: [...INGESTED, ...Object.keys(STORED_FORMS).map((_, i) => event({ metadata: { n: 100 + i } }))] }, null);
  scope = await resolveOrgScope(principal, org.slug);
  let n = 100;
  for (const assignment of Object.values(STORED_FORMS)) {
    await db().execute(sql.raw(`update audit_events set ${assignment} where organization_id = '${org.id}' and (metadata ->> 'n')::int = ${n}`));
    n += 1;
  }
});

/** Every stored event of the scope as drizzle maps it, newest first by (occurred_at, id). */
async function drizzleMapped() {
  const events = visibleEvents(scope);
  const rows = (await db().select(eventColumns(events)).from(events).orderBy(desc(events.occurredAt), desc(events.id))) as StoredEventRow[];
  return rows.map(toAuditEvent);
}

describe("event pages read without drizzle's row mapping", () => {
  it("return every kind of stored event exactly as drizzle's mapping and toAuditEvent do, key order included", async () => {
    const expected = await drizzleMapped();
    expect(expected).toHaveLength(INGESTED.length + Object.keys(STORED_FORMS).length);
    const page = await searchEvents(scope, { limit: 100, order: "desc" });
    expect(page.data.map((e) => JSON.stringify(e))).toEqual(expected.map((e) => JSON.stringify(e)));
    const feed = await eventsAfterSeq(scope, 0, 100);
    expect(feed.data.map((e) => JSON.stringify(e))).toEqual([...expected].sort((a, b) => a.seq - b.seq).map((e) => JSON.stringify(e)));
    expect(feed.last_seq).toBe(expected.length);
  });

  it("export every kind of stored event the same way, page after page", async () => {
    const expected = await drizzleMapped();
    const selection = await exportSelection(scope, {});
    let ndjson = "";
    for await (const rows of readPages((at) => readEventPage(selection, at, "desc", 4))) ndjson += ndjsonRows(rows);
    expect(ndjson.trimEnd().split("\n")).toEqual(expected.map((e) => JSON.stringify(e)));
  });

  it("write the stored forms as the API always has", async () => {
    const events = (await searchEvents(scope, { limit: 100, order: "asc" })).data;
    const byN = new Map(events.map((e) => [e.metadata.n, e]));
    expect(byN.get(2)?.context).toEqual({ location: "2001:db8::5", user_agent: "Mozilla/5.0 \u0001 \u2028 🦊" });
    expect(byN.get(3)?.context).toEqual({ location: "198.51.100.4" });
    expect(byN.get(4)?.context).toEqual({ location: "::c633:6404" });
    expect(byN.get(5)?.context).toEqual({ location: "::1:0:0:2:3:4" });
    expect(byN.get(7)?.occurred_at).toBe("1970-01-01T00:00:00.008Z");
    expect(byN.get(2)?.metadata).toMatchObject({ amount: 12345678901, ratio: 0.30000000000000004, big: 1e21, html: "</script><b>" });
    // Ingest numbers the events in the order sent: the stored forms follow INGESTED.
    const form = (label: string) => events.find((e) => e.seq === INGESTED.length + 1 + Object.keys(STORED_FORMS).indexOf(label))!;
    expect(form("an IPv4-mapped inet").context.location).toBe("203.0.113.9");
    expect(form("an IPv4-compatible inet").context.location).toBe("::cb00:7109");
    expect(form("a network, not an address").context).toEqual({ user_agent: "vitest" });
    expect(form("an IPv6 network").context).toEqual({ user_agent: "vitest" });
    expect(form("JSON null metadata")).toMatchObject({ metadata: {}, actor: { type: "user", id: "u_1", name: "Ada" } });
    expect(form("JSON null metadata").actor).not.toHaveProperty("metadata");
    expect(form("targets with null names and unknown keys").targets).toEqual([
      { type: "a", id: "1" },
      { type: "b", id: "2" },
    ]);
    expect(form("microseconds").received_at).toMatch(/\.123Z$/);
    expect(form("microseconds").occurred_at).toMatch(/\.000Z$/);
  });
});

describe("export pages", () => {
  it("go on from an event's microseconds: events in one millisecond, a page each, come out once each", async () => {
    const org = await createOrg("page-micros");
    const { principal } = await createKey(org.id);
    await ingest(principal, { events: [1, 2, 3, 4].map((n) => event({ metadata: { n } })) }, null);
    await db().execute(
      sql.raw(`update audit_events set occurred_at = date_trunc('milliseconds', received_at) - interval '1 second' + ((metadata ->> 'n')::int * interval '1 microsecond') where organization_id = '${org.id}'`),
    );
    const selection = await exportSelection(await resolveOrgScope(principal, org.slug), {});
    const seen: unknown[] = [];
    for await (const rows of readPages((at) => readEventPage(selection, at, "desc", 1))) seen.push(...rows.map((row) => row.metadata?.n));
    expect(seen).toEqual([4, 3, 2, 1]);
  });
});
