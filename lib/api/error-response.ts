import "server-only";
import { ZodError } from "zod";
import { ApiError, formatPath } from "./errors";

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03"]);

// PostgreSQL's query_canceled: statement_timeout ran out (db/client.ts).
const QUERY_CANCELED = "57014";

/** The driver's or PostgreSQL's error code, also through drizzle's wrapper (which keeps the driver's error as its cause). */
function errorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 3; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return null;
}

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
  console.error("[api] unexpected error:", error instanceof Error ? `${error.name}: ${error.message}` : "unknown", (error as Error).stack);
  return errorJson(500, "internal", "Internal error");
}
