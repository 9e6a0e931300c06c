import Papa from "papaparse";
import { sql as drizzleSql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { copyOut } from "@/db/copy-out";
import { inlineSql } from "@/db/inline-sql";
import { seededRandom } from "@/scripts/seeded-random";
import { CopyCsvFinisher } from "./csv-copy-finisher";

const METADATA_FIELD = 12;
const TRICKY = ['a, b', 'x: y', 'say "hi", "bye"', '"": ""', "back\\slash", '\\", "', "line\nbreak\r\n", "🦄 ünï, 漢字: ok", " ", ",", ":", "", "{}", "[1, 2]"];

function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth < 2 && pick < 0.15) return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [TRICKY[Math.floor(random() * TRICKY.length)]!, randomValue(random, depth + 1)]));
  if (depth < 2 && pick < 0.3) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  if (pick < 0.4) return Math.round((random() - 0.5) * 1e6) / 100;
  if (pick < 0.45) return random() < 0.5;
  if (pick < 0.5) return null;
  return TRICKY[Math.floor(random() * TRICKY.length)]! + (random() < 0.5 ? TRICKY[Math.floor(random() * TRICKY.length)]! : "");
}

function randomMetadata(random: () => number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, (_, i) => [`${TRICKY[Math.floor(random() * TRICKY.length)]}${i}`, randomValue(random, 0)]));
}

/** COPY output of rows shaped like the export's: hostile text fields around a jsonb metadata field at index 12, and one field after it. */
async function copyOutRows(metadata: Record<string, unknown>[]): Promise<Buffer> {
  const texts = drizzleSql.join(
    Array.from({ length: METADATA_FIELD }, (_, i) => drizzleSql`${TRICKY[i % TRICKY.length]}::text || n`),
    drizzleSql`, `,
  );
  const query = drizzleSql`copy (select ${texts}, m::text, ${'after, "this"\n'}::text || n from jsonb_array_elements(${JSON.stringify(metadata)}::jsonb) with ordinality as s(m, n) order by n) to stdout (format csv)`;
  const chunks: Buffer[] = [];
  for await (const chunk of copyOut(inlineSql(query))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Feeds `bytes` to a finisher in pieces cut at `cuts`. */
function finish(bytes: Buffer, cuts: number[]): { text: string; records: number; atRecordEnd: boolean } {
  const finisher = new CopyCsvFinisher(METADATA_FIELD);
  const parts: Buffer[] = [];
  let records = 0;
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const { data, records: ended } = finisher.push(bytes.subarray(start, end));
    parts.push(Buffer.from(data));
    records += ended;
    start = end;
  }
  return { text: Buffer.concat(parts).toString("utf8"), records, atRecordEnd: finisher.atRecordEnd };
}

function expectRows(text: string, metadata: Record<string, unknown>[]) {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true, newline: "\r\n" });
  expect(parsed.errors).toEqual([]);
  expect(parsed.data).toHaveLength(metadata.length);
  parsed.data.forEach((cells, i) => {
    const n = String(i + 1);
    expect(cells.slice(0, METADATA_FIELD)).toEqual(Array.from({ length: METADATA_FIELD }, (_, f) => TRICKY[f % TRICKY.length] + n));
    const cell = cells[METADATA_FIELD]!;
    expect(JSON.parse(cell)).toEqual(metadata[i]);
    // Exactly JSON.stringify's compact text (with the keys in jsonb's order).
    expect(cell).toBe(JSON.stringify(JSON.parse(cell)));
    expect(cells[METADATA_FIELD + 1]).toBe(`after, "this"\n${n}`);
  });
}

describe("CopyCsvFinisher", () => {
  it("ends each of COPY's records with CRLF, makes jsonb's metadata compact JSON and counts the records, whatever the values", async () => {
    const random = seededRandom(20261123);
    const metadata = Array.from({ length: 400 }, () => randomMetadata(random));
    const bytes = await copyOutRows(metadata);
    const { text, records, atRecordEnd } = finish(bytes, []);
    expect(records).toBe(metadata.length);
    expect(atRecordEnd).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    expectRows(text, metadata);
  });

  it("gives the same bytes however COPY's output is cut into chunks", async () => {
    const metadata = [{ 'a", "b': 'c: "d", e', nested: { list: [1, "x, y", { "k\\": null }] } }, {}, { "": "" }];
    const bytes = await copyOutRows(metadata);
    const whole = finish(bytes, []);
    expectRows(whole.text, metadata);
    for (let cut = 1; cut < bytes.length; cut++) expect(finish(bytes, [cut])).toEqual(whole);
    const random = seededRandom(7);
    const cuts = Array.from({ length: 40 }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b);
    expect(finish(bytes, cuts)).toEqual(whole);
  });

  it("knows when the bytes stop inside a record", async () => {
    const bytes = await copyOutRows([{ a: 1 }]);
    expect(finish(bytes.subarray(0, bytes.length - 1), []).atRecordEnd).toBe(false);
    expect(finish(bytes.subarray(0, 20), []).atRecordEnd).toBe(false);
  });
});
