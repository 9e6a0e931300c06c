import { sql as drizzleSql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sql } from "./client";
import { inlineSql } from "./inline-sql";

const HOSTILE = [
  "plain",
  "it's",
  "''; drop table audit_events; --",
  "back\\slash",
  "\\'; select 1; --",
  "ends with backslash\\",
  "$1 $2 $$ $tag$",
  "E'x'",
  "🦄 ünïcödé\nnew line\ttab",
  "",
];

describe("inlineSql", () => {
  it.each(["on", "off"])("reads every value back unchanged with standard_conforming_strings %s", async (setting) => {
    const values = HOSTILE.map((value) => drizzleSql`${value}::text`);
    const statement = inlineSql(drizzleSql`select array[${drizzleSql.join(values, drizzleSql`, `)}] as values`);
    const rows = await sql().begin(async (tx) => {
      await tx.unsafe(`set local standard_conforming_strings = ${setting}`);
      return tx.unsafe<{ values: string[] }[]>(statement);
    });
    expect(rows[0]!.values).toEqual(HOSTILE);
  });

  it("writes numbers, booleans, null and dates so that PostgreSQL infers their types from where they stand", async () => {
    const at = new Date("2026-11-20T10:15:00.123Z");
    const statement = inlineSql(
      drizzleSql`select ${42} + 1 as n, ${at}::timestamptz = '2026-11-20T10:15:00.123Z'::timestamptz as same_time, ${true} as yes, ${null}::text is null as nothing, ${"10.0.0.0/8"}::cidr >>= ${"10.1.2.3"}::inet as inside`,
    );
    const [row] = await sql().unsafe(statement);
    expect(row).toEqual({ n: 43, same_time: true, yes: true, nothing: true, inside: true });
  });

  it("leaves `$1` in the statement's own text alone", async () => {
    const [row] = await sql().unsafe(inlineSql(drizzleSql`select '$1' as own, ${"it's $1"}::text as value`));
    expect(row).toEqual({ own: "$1", value: "it's $1" });
  });

  it("refuses values it cannot write", () => {
    expect(() => inlineSql(drizzleSql`select ${"a\0b"}`)).toThrow(/NUL/);
    expect(() => inlineSql(drizzleSql`select ${Number.NaN}`)).toThrow(/NaN/);
    expect(() => inlineSql(drizzleSql`select ${{ a: 1 }}`)).toThrow(/object/);
  });
});
