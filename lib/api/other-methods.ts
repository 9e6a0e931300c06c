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
