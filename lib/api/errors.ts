export type ErrorIssue = { path: string; message: string };

export type ErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "invalid_query"
  | "unauthorized"
  | "forbidden"
  | "not_found"
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

/** An error meant for the caller: its status, code, message and issues are sent as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what = "Not found") => new ApiError(404, "not_found", what);
export const unauthorized = (message = "Authentication required: send `Authorization: Bearer <api key>` or sign in") =>
  new ApiError(401, "unauthorized", message);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const badRequest = (message: string, issues?: ErrorIssue[]) => new ApiError(400, "invalid_request", message, issues);

/** `events[3].targets[0].type` from a zod-style path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
