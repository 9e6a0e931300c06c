import "server-only";
import { ZodError } from "zod";
import { ApiError, formatPath } from "./errors";

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03"]);

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_ERRORS.has(code);
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
  if (isDatabaseUnavailable(error)) {
    return errorJson(503, "unavailable", "The database is unavailable; retry shortly", undefined, { "Retry-After": "5" });
  }
  console.error("[api] unexpected error:", error instanceof Error ? `${error.name}: ${error.message}` : "unknown", (error as Error).stack);
  return errorJson(500, "internal", "Internal error");
}
