import "server-only";
import { z, type ZodType } from "zod";
import { can, canReadEvents, type Permission } from "@/lib/access/permissions";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { resolvePrincipal, type Principal } from "@/lib/auth/principal";
import { ApiError, formatPath, notFound } from "./errors";
import { toErrorResponse } from "./error-response";
import { assertSameOrigin } from "./same-origin";

/** "events.read" is met by reading the whole log or only one's own events. */
export type RoutePermission = Permission | "events.read";

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> } | undefined;

type HandlerArgs<Q> = {
  request: Request;
  principal: Principal;
  params: Record<string, string>;
  query: Q;
};

/**
 * Checks a permission in an organization. A caller who cannot read the
 * organization's events gets 404 (nothing about it leaks); one who can read
 * but lacks this permission gets 403.
 */
export function requirePermission(scope: Scope, permission: RoutePermission): void {
  if (permission === "events.read") {
    if (!canReadEvents(scope)) throw notFound("Organization not found");
    return;
  }
  if (can(scope, permission)) return;
  if (canReadEvents(scope)) throw new ApiError(403, "forbidden", `This requires the ${permission} permission`);
  throw notFound("Organization not found");
}

function parseQuery<Q>(schema: ZodType<Q>, url: URL): Q {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new ApiError(400, "invalid_query", "The query parameters are not valid", issues);
  }
  return parsed.data;
}

function flatParams(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (typeof value === "string") out[key] = value;
  return out;
}

/**
 * The one wrapper for API route handlers: resolves the caller, parses the query
 * string, and maps every thrown error to the DESIGN error JSON.
 */
export function apiRoute<Q = Record<string, never>>(
  options: { query?: ZodType<Q> },
  handler: (args: HandlerArgs<Q>) => Promise<Response | object>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const params = flatParams((await context?.params) ?? {});
      const principal = await resolvePrincipal(request);
      // A session cookie rides along on any request the browser makes, so only API keys may mutate cross-site.
      if (principal.kind === "user") assertSameOrigin(request);
      const query = options.query ? parseQuery(options.query, new URL(request.url)) : ({} as Q);
      const result = await handler({ request, principal, params, query });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/**
 * The wrapper for routes under /api/v1/orgs/{org}: as apiRoute, plus the
 * caller's Scope in that organization, checked for the route's permission.
 */
export function orgRoute<Q = Record<string, never>>(
  options: { permission: RoutePermission; query?: ZodType<Q> },
  handler: (args: HandlerArgs<Q> & { scope: Scope }) => Promise<Response | object>,
) {
  return apiRoute({}, async (args) => {
    const scope = await resolveOrgScope(args.principal, args.params.org ?? "");
    requirePermission(scope, options.permission);
    // Parsed after the scope check, so a stranger gets 404 whatever the query says.
    const query = options.query ? parseQuery(options.query, new URL(args.request.url)) : ({} as Q);
    return handler({ ...args, query, scope });
  });
}

export const emptyQuery = z.object({});
