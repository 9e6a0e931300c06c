import "server-only";
import { headers } from "next/headers";
import type { RequestContext } from "@/lib/events/app-actor";
import { clientIp } from "./client-ip";

/** The IP address and user agent of a request, from its headers. */
export function requestContextOf(list: Headers): RequestContext {
  return { ip: clientIp({ "x-forwarded-for": list.get("x-forwarded-for") ?? undefined }), userAgent: list.get("user-agent") };
}

/** The IP address and user agent of the request being served (server actions and pages). */
export async function requestContext(): Promise<RequestContext> {
  return requestContextOf(await headers());
}
