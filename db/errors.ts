import { DrizzleQueryError } from "drizzle-orm";

export const REFUSED_VALUE_MESSAGE = "The request holds a value that cannot be stored or searched (such as a NUL character or a date out of range)";

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The code of an error or of an error it wraps (drizzle wraps the driver's errors and keeps them as `cause`). */
export function errorCode(error: unknown): string | null {
  let current = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * PostgreSQL refused a value as data: SQLSTATE class 22 (a NUL character, an
 * invalid encoding, a date or number out of range) or a value too large for an
 * index (54000). Input is checked before it gets there; this is the net for
 * whatever a check missed, so that the caller gets a 400, not a 500.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && (code.startsWith("22") || code === "54000") && SQLSTATE.test(code);
}

/** An error from the database or its driver; its message and stack may hold SQL, parameters or values. */
export function isDatabaseError(error: unknown): boolean {
  const code = errorCode(error);
  return error instanceof DrizzleQueryError || (code !== null && SQLSTATE.test(code));
}

/**
 * What may be logged or stored about an error. A database error's message is
 * left out: drizzle's holds the SQL and its parameters, PostgreSQL's may quote
 * a value (a search term, an email); its name and code say what kind it was.
 */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  if (isDatabaseError(error)) {
    const cause = error instanceof DrizzleQueryError ? error.cause : error;
    return `database error ${cause instanceof Error ? cause.name : "unknown"}${code ? ` (code ${code})` : ""}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
}
