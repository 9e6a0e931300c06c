import "server-only";
import { ZodError } from "zod";
import { describeError, errorCode, isDatabaseError, isRefusedValue } from "./database-errors";
import { ApiError, formatPath } from "./errors";

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03"]);

// PostgreSQL's query_canceled: statement_timeout ran out (db/client.ts).
const QUERY_CANCELED = "57014";

export const REFUSED_VALUE_MESSAGE = "The request holds a value that cannot be stored or searched (such as a NUL character or a date out of range)";

export function errorJson(status: number, code: string, message: string, issues?: { path: string; message: string }[], headers?: Record<string, string>) {
  return Response.json({ error: { code, message, ...(issues?.length ? { issues } : {}) } }, { status, headers });
}

/** Every thrown error becomes the DESIGN error JSON; unexpected ones are logged without request data. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorJson(error.status, error.code, error.message, error.issues, error.headers);
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    return errorJson(400, "invalid_request", "The request is not valid", issues);
  }
  const code = errorCode(error);
  if (code === QUERY_CANCELED) {
    return errorJson(503, "query_timeout", "The search took too long and was stopped: narrow the time range or add filters", undefined, { "Retry-After": "1" });
  }
  if (code && CONNECTION_ERRORS.has(code)) {
    return errorJson(503, "unavailable", "The database is unavailable; retry shortly", undefined, { "Retry-After": "5" });
  }
  if (isRefusedValue(error)) {
    console.warn("[api] input refused by the database:", describeError(error));
    return errorJson(400, "invalid_request", REFUSED_VALUE_MESSAGE);
  }
  // A database error's stack starts with its message (SQL and parameters): only other errors' stacks are logged.
  console.error("[api] unexpected error:", isDatabaseError(error) ? describeError(error) : (error as Error).stack ?? describeError(error));
  return errorJson(500, "internal", "Internal error");
}
