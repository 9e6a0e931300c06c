import "server-only";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { resolvePrincipal } from "@/lib/auth/principal";
import type { ZodType } from "zod";
import { AppError, notFound, unauthorized, zodIssues } from "@/lib/errors";
import { toErrorResponse } from "@/lib/api/error-response";
import { flatParams, type RouteContext } from "@/lib/api/handler";

/*
 * The front door of the WorkOS-compatible API (README "Moving from WorkOS"):
 * the same services as /api/v1, reached the way the WorkOS SDK calls them and
 * answered in WorkOS's shapes, so the SDK raises the exceptions a vendor's code
 * already catches.
 */

type WorkosArgs = { request: Request; key: ApiKeyPrincipal; params: Record<string, string> };

/**
 * WorkOS's error body: `{message, code, errors}`. The SDK picks its exception by
 * status; a 400 needs both `code` and `errors` to become a BadRequestException,
 * and a 422's `errors[].code` make up the UnprocessableEntityException's message.
 */
type WorkosErrorBody = { message: string; code: string; errors?: { code: string; field: string; message: string }[] };

const WORKOS_CODES: Record<number, string> = { 401: "unauthorized", 404: "entity_not_found", 422: "invalid_request_parameters" };

/** `events[0].actor.id` → `invalid_events_0_actor_id`: a stable code per field, as WorkOS gives. */
const issueCode = (field: string): string => `invalid_${field.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "").toLowerCase() || "request"}`;

/** Any thrown error, mapped first as /api/v1 maps it (status, headers, message), then reshaped for WorkOS. */
export async function workosErrorResponse(error: unknown): Promise<Response> {
  const orgtrail = toErrorResponse(error);
  const { error: body } = (await orgtrail.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } };
  const workos: WorkosErrorBody = { message: body.message, code: WORKOS_CODES[orgtrail.status] ?? body.code };
  if (orgtrail.status === 400 || orgtrail.status === 422) {
    workos.errors = (body.issues ?? []).map((issue) => ({ code: issueCode(issue.path), field: issue.path, message: issue.message }));
  }
  const headers = new Headers(orgtrail.headers);
  headers.delete("content-length");
  return Response.json(workos, { status: orgtrail.status, headers });
}

/** A route of this API that answers every thrown error in WorkOS's shape. */
export function workosPublicRoute(handler: (args: { request: Request; params: Record<string, string> }) => Promise<Response | object>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const result = await handler({ request, params: flatParams((await context?.params) ?? {}) });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return workosErrorResponse(error);
    }
  };
}

/**
 * A WorkOS-compatible route: only an API key (sent as the SDK sends it,
 * `Authorization: Bearer`) may call it; a browser session never does.
 */
export function workosRoute(handler: (args: WorkosArgs) => Promise<Response | object>) {
  return workosPublicRoute(async ({ request, params }) => {
    if (!request.headers.has("authorization")) throw unauthorized("Send your Orgtrail API key as `Authorization: Bearer <key>`, as the WorkOS SDK does");
    const principal = await resolvePrincipal(request);
    if (principal.kind !== "api_key") throw unauthorized();
    return handler({ request, key: principal, params });
  });
}

/** The query string checked against its schema: a 422 naming each parameter at fault. */
export function parseSearchParams<T>(schema: ZodType<T>, request: Request): T {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("validation_failed", "The query parameters are not valid", zodIssues(parsed.error));
  return parsed.data;
}

/** Any path under this API's prefixes that no route serves: WorkOS's 404, for every method. */
export function noWorkosRoute(): Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS", (request: Request) => Promise<Response>> {
  const answer = (request: Request) => workosErrorResponse(notFound(`No route at ${request.method} ${new URL(request.url).pathname.slice(0, 200)}`));
  return { GET: answer, POST: answer, PUT: answer, PATCH: answer, DELETE: answer, HEAD: answer, OPTIONS: answer };
}

/** WorkOS's list envelope; cursors are the ids of the first and last items when more lie that way. */
export type WorkosList<T> = { object: "list"; data: T[]; list_metadata: { before: string | null; after: string | null } };
