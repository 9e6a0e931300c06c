import "server-only";
import ipaddr from "ipaddr.js";
import { env, type IpRange } from "@/lib/env";
import { normalizeIp } from "@/lib/ip";

type HeaderRecord = Record<string, string | string[] | undefined>;

/**
 * The IP address of the person behind a request, from its X-Forwarded-For.
 *
 * What this relies on: the server process preloads scripts/forwarded-for-peer.mjs
 * (NODE_OPTIONS from scripts/server-node-options.ts, used by `npm start`,
 * `npm run dev` and the benchmarks), which appends the TCP peer's address to
 * X-Forwarded-For before Next.js reads the request. Next.js itself only sets the
 * header from the socket when the client sent none, and gives route handlers no
 * other way to the socket. So the right-most entry is the peer, and entries
 * further left were written by whoever the peer is.
 *
 * The peer is the client unless it is a trusted proxy (ORGTRAIL_TRUSTED_PROXIES);
 * then the entry it added is believed, and so on leftwards while the entries are
 * trusted proxies too. What a client writes itself is never read. X-Real-IP is
 * ignored: X-Forwarded-For carries everything it could say. An entry that is not
 * an IP address makes the client unknown (null).
 */
export function clientIp(headers: HeaderRecord, trustedProxies: readonly IpRange[] = env().ORGTRAIL_TRUSTED_PROXIES): string | null {
  const hops = forwardedFor(headers);
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = normalizeIp(withoutPort(hops[i]!));
    if (!ip) return null;
    if (i === 0 || !isTrusted(ip, trustedProxies)) return ip;
  }
  return null;
}

function forwardedFor(headers: HeaderRecord): string[] {
  const value = headers["x-forwarded-for"];
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
}

/** Some proxies write `192.0.2.1:4711` or `[2001:db8::1]:4711`. */
function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4WithPort ? v4WithPort[1]! : hop;
}

function isTrusted(ip: string, ranges: readonly IpRange[]): boolean {
  if (ranges.length === 0) return false;
  const address = ipaddr.parse(ip);
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}
