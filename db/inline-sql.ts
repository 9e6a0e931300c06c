import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";

/** Writes each parameter's place as NUL, its index, NUL: a mark no SQL text of ours contains (literal() refuses NUL). */
class MarkingDialect extends PgDialect {
  override escapeParam(num: number): string {
    return `\0${num}\0`;
  }
}

const dialect = new MarkingDialect();

/**
 * A string constant that reads back as `value` whatever standard_conforming_strings
 * says: the E'' form, with backslashes and quotes doubled (as libpq's PQescapeLiteral).
 * Untyped, so PostgreSQL infers its type from where it stands, as it does for a parameter.
 */
function literal(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return literal(value.toISOString());
  if (typeof value === "number" || typeof value === "bigint") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`Cannot write ${value} into SQL`);
    return `'${value}'`;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") {
    if (value.includes("\0")) throw new Error("Cannot write a NUL character into SQL");
    return `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  }
  throw new Error(`Cannot write a ${typeof value} parameter into SQL`);
}

/**
 * One drizzle query as a statement with no parameters, its values written in as
 * string constants. Only for statements that cannot take parameters (COPY).
 */
export function inlineSql(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\0(\d+)\0/g, (_, index: string) => literal(params[Number(index)]));
}
