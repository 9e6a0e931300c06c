import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { StoredEventRow } from "../stored-event";
import { BASE_CSV_COLUMNS, csvHeader, csvRows, exportFileName, metadataColumns, ndjsonRows, type CsvSourceRow } from "./format";

function row(overrides: Partial<StoredEventRow> = {}): StoredEventRow {
  return {
    organizationId: "0190b0a0-0000-7000-8000-000000000001",
    id: "0190b0a0-0000-7000-8000-000000000002",
    seq: 7,
    action: "document.shared",
    version: 1,
    occurredAt: new Date("2026-11-20T10:15:00.123Z"),
    receivedAt: new Date("2026-11-20T10:15:01Z"),
    actorType: "user",
    actorId: "u_42",
    actorName: "Ada",
    actorMetadata: null,
    targets: [
      { type: "document", id: "doc_7", name: "Q3 plan" },
      { type: "folder", id: "f_1" },
    ],
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    metadata: { shared_with: "finance@acme.test", count: -3, ok: true },
    hash: "h",
    ...overrides,
  };
}

function csvRow(overrides: Partial<CsvSourceRow> = {}): CsvSourceRow {
  return {
    id: "0190b0a0-0000-7000-8000-000000000002",
    occurred_at: "2026-11-20T10:15:00.123Z",
    received_at: "2026-11-20T10:15:01.000Z",
    action: "document.shared",
    actor_type: "user",
    actor_id: "u_42",
    actor_name: "Ada",
    target_types: "document; folder",
    target_ids: "doc_7; f_1",
    target_names: "Q3 plan; ",
    ip: "203.0.113.7",
    user_agent: "Mozilla/5.0",
    // As jsonb writes it: keys by length, a space after each colon and comma.
    metadata: '{"ok": true, "count": -3, "shared_with": "finance@acme.test"}',
    ...overrides,
  };
}

const parse = (text: string) => Papa.parse<string[]>(text, { header: false, skipEmptyLines: true }).data;

describe("CSV format", () => {
  it("writes the DESIGN columns, then the schema columns, with metadata keys that clash with a base column renamed", () => {
    const columns = metadataColumns(["shared_with", "ip", "count", "shared_with"]);
    expect(columns.map((c) => c.header)).toEqual(["count", "metadata.ip", "shared_with"]);
    expect(parse(csvHeader(columns))[0]).toEqual([...BASE_CSV_COLUMNS, "count", "metadata.ip", "shared_with"]);
  });

  it("joins lists with '; ', writes compact JSON metadata and UTC ISO times, and ends every row with CRLF", () => {
    const columns = metadataColumns(["shared_with", "count", "missing"]);
    const text = csvRows([csvRow()], columns);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parse(text)[0]).toEqual([
      "0190b0a0-0000-7000-8000-000000000002",
      "2026-11-20T10:15:00.123Z",
      "2026-11-20T10:15:01.000Z",
      "document.shared",
      "user",
      "u_42",
      "Ada",
      "document; folder",
      "doc_7; f_1",
      "Q3 plan; ",
      "203.0.113.7",
      "Mozilla/5.0",
      '{"ok":true,"count":-3,"shared_with":"finance@acme.test"}',
      "'-3",
      "",
      "finance@acme.test",
    ]);
  });

  it.each([
    ["=HYPERLINK(\"http://evil.test\",\"click\")", "'=HYPERLINK(\"http://evil.test\",\"click\")"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["-2+3", "'-2+3"],
    ["+cmd", "'+cmd"],
    ["\tstarts with tab", "'\tstarts with tab"],
    ["\rstarts with CR", "'\rstarts with CR"],
    ["=1+1\nsecond line", "'=1+1\nsecond line"],
    ['say "hi", then\r\nleave', 'say "hi", then\r\nleave'],
    ["🦄👩‍💻 ünïcödé", "🦄👩‍💻 ünïcödé"],
    ["safe = later", "safe = later"],
  ])("neutralizes formula cells and keeps the value otherwise: %j", (value, expected) => {
    const text = csvRows([csvRow({ actor_name: value })], []);
    const [cells] = parse(text);
    expect(cells![6]).toBe(expected);
  });

  it("writes an empty actor, IP, user agent and metadata as empty cells and {}, IPv6 in the API's form, and object column values as JSON", () => {
    const columns = metadataColumns(["limits"]);
    const [bare] = parse(csvRows([csvRow({ actor_name: null, ip: null, user_agent: null, metadata: null })], columns));
    expect([bare![6], bare![10], bare![11], bare![12], bare![13]]).toEqual(["", "", "", "{}", ""]);
    const [v6] = parse(csvRows([csvRow({ ip: "::1.2.3.4", metadata: '{"limits": {"max": 5}}' })], columns));
    expect([v6![10], v6![12], v6![13]]).toEqual(["1.2.3.4", '{"limits":{"max":5}}', '{"max":5}']);
  });

  it("writes NDJSON as one API-shaped event per line", () => {
    const lines = ndjsonRows([row(), row({ id: "0190b0a0-0000-7000-8000-000000000003" })]).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ id: "0190b0a0-0000-7000-8000-000000000002", seq: 7, context: { location: "203.0.113.7", user_agent: "Mozilla/5.0" }, hash: "h" });
  });

  it("names the file after the organization and the days of the range", () => {
    expect(exportFileName("acme", new Date("2026-11-01T00:00:00Z"), new Date("2026-11-23T23:59:59.999Z"), "csv")).toBe("acme-audit-log-2026-11-01-to-2026-11-23.csv");
  });
});
