import "server-only";
import { errorJson } from "./error-response";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof METHODS)[number];

/**
 * 405 handlers, with the DESIGN error JSON and an `Allow` header, for the
 * methods a route does not take. Without them Next answers those with an
 * empty body. A route exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST")`.
 */
export function otherMethods(...allowed: HttpMethod[]): Record<HttpMethod, () => Response> {
  const allow = allowed.join(", ");
  const refuse = (method: HttpMethod) => () => errorJson(405, "method_not_allowed", `${method} is not allowed here; use ${allow}`, undefined, { Allow: allow });
  return Object.fromEntries(METHODS.map((method) => [method, refuse(method)])) as Record<HttpMethod, () => Response>;
}

/**
 * Handlers for an /api/v1 path no route serves (app/api/v1/[...path]): the
 * JSON 404 for every method, where Next would answer with its HTML page.
 */
export function noSuchRoute(): Record<HttpMethod | "HEAD" | "OPTIONS", (request: Request) => Response> {
  const answer = (request: Request) => errorJson(404, "not_found", `No API route at ${request.method} ${new URL(request.url).pathname.slice(0, 200)}`);
  return Object.fromEntries([...METHODS, "HEAD", "OPTIONS"].map((method) => [method, answer])) as Record<HttpMethod | "HEAD" | "OPTIONS", (request: Request) => Response>;
}
