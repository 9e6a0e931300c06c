import "server-only";
import { ZodError } from "zod";
import { describeError, errorCode, isDatabaseError, isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/db/errors";
import { AppError, zodIssues, type ErrorCode } from "@/lib/errors";

/** The one table of how each error code is answered over HTTP. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  schema_mismatch: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  query_timeout: 503,
};

export const httpStatus = (error: AppError): number => HTTP_STATUS[error.code];

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03"]);

// PostgreSQL's query_canceled: statement_timeout ran out (db/client.ts).
const QUERY_CANCELED = "57014";

export function errorJson(status: number, code: string, message: string, issues?: { path: string; message: string }[], headers?: Record<string, string>) {
  return Response.json({ error: { code, message, ...(issues?.length ? { issues } : {}) } }, { status, headers });
}

/** Every thrown error becomes the DESIGN error JSON; unexpected ones are logged without request data. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers = error.retryAfterSeconds !== undefined ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
    return errorJson(httpStatus(error), error.code, error.message, error.issues, headers);
  }
  if (error instanceof ZodError) return errorJson(400, "invalid_request", "The request is not valid", zodIssues(error));
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
