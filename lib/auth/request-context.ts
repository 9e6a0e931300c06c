import "server-only";
import { headers } from "next/headers";
import { clientIp } from "./client-ip";

/** Where a change came from, for the event that records it. */
export type RequestContext = { ip: string | null; userAgent: string | null };

export const NO_REQUEST: RequestContext = { ip: null, userAgent: null };

/** The IP address and user agent of a request, from its headers. */
export function requestContextOf(list: Headers): RequestContext {
  return { ip: clientIp({ "x-forwarded-for": list.get("x-forwarded-for") ?? undefined }), userAgent: list.get("user-agent") };
}

/** The IP address and user agent of the request being served (server actions and pages). */
export async function requestContext(): Promise<RequestContext> {
  return requestContextOf(await headers());
}
