import "server-only";
import { headers } from "next/headers";
import type { RequestContext } from "@/lib/events/app-actor";
import { clientIp } from "./sign-in";

/** The IP address and user agent of the request being served (server actions and pages). */
export async function requestContext(): Promise<RequestContext> {
  const list = await headers();
  const record: Record<string, string> = {};
  for (const name of ["x-forwarded-for", "x-real-ip"]) {
    const value = list.get(name);
    if (value) record[name] = value;
  }
  return { ip: clientIp(record), userAgent: list.get("user-agent") };
}
