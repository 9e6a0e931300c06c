import "server-only";
import { z, type ZodType } from "zod";
import { requirePermission, type RequiredPermission } from "@/lib/access/require-permission";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { resolvePrincipal, type Principal } from "@/lib/auth/principal";
import { AppError, zodIssues } from "@/lib/errors";
import { toErrorResponse } from "./error-response";
import { assertSameOrigin } from "./same-origin";

export type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> } | undefined;

type HandlerArgs<Q> = {
  request: Request;
  principal: Principal;
  params: Record<string, string>;
  query: Q;
};

function parseQuery<Q>(schema: ZodType<Q>, url: URL): Q {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new AppError("invalid_query", "The query parameters are not valid", issues);
  }
  return parsed.data;
}

/** A route's params with only its single-valued segments. */
export function flatParams(params: Record<string, string | string[] | undefined>): Record<string, string> {
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
  options: { permission: RequiredPermission; query?: ZodType<Q> },
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
