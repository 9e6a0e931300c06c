import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { StoredEventRow } from "../stored-event";
import { BASE_CSV_COLUMNS, csvHeader, exportFileName, metadataColumns, ndjsonRows } from "./format";

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

const parse = (text: string) => Papa.parse<string[]>(text, { header: false, skipEmptyLines: true }).data;

describe("CSV format", () => {
  it("writes the DESIGN columns, then the schema columns, with metadata keys that clash with a base column renamed", () => {
    const columns = metadataColumns(["shared_with", "ip", "count", "shared_with"]);
    expect(columns.map((c) => c.header)).toEqual(["count", "metadata.ip", "shared_with"]);
    expect(parse(csvHeader(columns))[0]).toEqual([...BASE_CSV_COLUMNS, "count", "metadata.ip", "shared_with"]);
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
