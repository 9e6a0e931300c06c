import type { ZodError } from "zod";

/*
 * The errors domain code throws for its callers: what went wrong (a code), a
 * message meant for the person, and the fields at fault. How a code is answered
 * over HTTP is lib/api's business (lib/api/error-response.ts), not the domain's.
 */

export type ErrorIssue = { path: string; message: string };

export type ErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "invalid_query"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "gone"
  | "method_not_allowed"
  | "idempotency_conflict"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "schema_mismatch"
  | "rate_limited"
  | "unavailable"
  | "query_timeout"
  | "internal";

/** An error meant for the caller: its code, message and issues are shown as they are. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    /** For rate_limited and unavailable: when asking again may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);
export const unauthorized = (message = "Authentication required: send `Authorization: Bearer <api key>` or sign in") => new AppError("unauthorized", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const badRequest = (message: string, issues?: ErrorIssue[]) => new AppError("invalid_request", message, issues);
export const invalid = (message: string, issues?: ErrorIssue[]) => new AppError("validation_failed", message, issues);
export const conflict = (message: string, issues?: ErrorIssue[]) => new AppError("conflict", message, issues);

/** Whether an error is the caller's to fix (as opposed to the service being unable to answer now). */
export const isCallerError = (error: unknown): error is AppError =>
  error instanceof AppError && error.code !== "unavailable" && error.code !== "query_timeout" && error.code !== "internal";

/** `events[3].targets[0].type` from a zod-style path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** A zod error's issues as the error JSON's `issues`, their paths under `prefix`. */
export function zodIssues(error: ZodError, prefix: ReadonlyArray<PropertyKey> = []): ErrorIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}
