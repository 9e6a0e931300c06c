import "server-only";
import { promises as dns } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { invalid } from "@/lib/errors";

/*
 * Log streams send customer-chosen URLs requests from inside our network, so a
 * destination must be https and resolve only to public addresses. The check runs
 * when a destination is saved (checkDestinationUrl) and again on every
 * connection (guardedLookup), so a name that later resolves to a private
 * address (DNS rebinding) is refused too. ORGTRAIL_STREAMS_ALLOW_PRIVATE=1 lifts
 * both rules, for development and tests.
 */

export type ResolvedAddress = { address: string; family: number };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
export type GuardOptions = {
  /** Allow http:// and private addresses (ORGTRAIL_STREAMS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Name resolution; the system resolver (getaddrinfo) unless a test gives one. */
  resolve?: Resolver;
};
export type UrlRefusal = { kind: "invalid_url" | "refused_url" | "refused_address"; message: string };

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Whether this deployment lets streams reach http:// and private addresses. */
export function streamsAllowPrivate(): boolean {
  return env().ORGTRAIL_STREAMS_ALLOW_PRIVATE === "1";
}

/** Thrown by guardedLookup when a name resolves to an address streams may not reach. */
export class RefusedAddressError extends Error {
  readonly code = "ERR_STREAMS_REFUSED_ADDRESS";
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddressError";
  }
}

const NAT64 = ipaddr.parseCIDR("64:ff9b::/96");

/**
 * Why an address may not be reached (its special range: "loopback", "private",
 * "linkLocal", "uniqueLocal", "carrierGradeNat", …), or null for a public unicast
 * address. IPv4-mapped and NAT64 addresses are judged by the IPv4 address inside.
 */
export function forbiddenAddressRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return rangeUnlessUnicast(parsed.range());
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return forbiddenAddressRange(v6.toIPv4Address().toString());
  if (v6.match(NAT64)) return forbiddenAddressRange(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  const range = rangeUnlessUnicast(v6.range());
  // ::/8 holds the deprecated IPv4-compatible addresses (::127.0.0.1), which ipaddr.js calls unicast.
  return range ?? (v6.parts[0]! < 0x100 ? "reserved" : null);
}

function rangeUnlessUnicast(range: string): string | null {
  return range === "unicast" ? null : range;
}

/** An IP literal's address (brackets of [::1] removed), or null for a name. */
function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

function describeRefusal(hostname: string, address: string, range: string): string {
  const where = hostname === address ? address : `${hostname} (${address})`;
  return `${where} is a ${range} address, which log streams may not reach: use a public https destination`;
}

/** What is wrong with a URL before any name is resolved (scheme, credentials, a private IP literal), or null. */
export function urlRefusal(url: string | URL, options: Pick<GuardOptions, "allowPrivate">): UrlRefusal | null {
  const parsed = typeof url === "string" ? (URL.canParse(url) ? new URL(url) : null) : url;
  if (!parsed) return { kind: "invalid_url", message: "not a URL: use one like https://siem.example.com/orgtrail" };
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { kind: "refused_url", message: "must be an https:// URL" };
  if (parsed.protocol === "http:" && !options.allowPrivate) {
    return { kind: "refused_url", message: "must be an https:// URL (plain http:// only with ORGTRAIL_STREAMS_ALLOW_PRIVATE=1)" };
  }
  if (parsed.username || parsed.password) return { kind: "refused_url", message: "must not contain a user name or password" };
  const literal = ipLiteral(parsed.hostname);
  const range = literal && !options.allowPrivate ? forbiddenAddressRange(literal) : null;
  return range && literal ? { kind: "refused_address", message: describeRefusal(literal, literal, range) } : null;
}

/** The first address of `addresses` streams may not reach, as a message, or null when all are public. */
function refusedAmong(hostname: string, addresses: readonly ResolvedAddress[]): string | null {
  for (const { address } of addresses) {
    const range = forbiddenAddressRange(address);
    if (range) return describeRefusal(hostname, address, range);
  }
  return null;
}

/**
 * Checks a destination URL when it is saved: https, no credentials, and a host
 * that resolves only to public addresses. Throws a validation AppError naming
 * the problem at `path`; returns the parsed URL.
 */
export async function checkDestinationUrl(url: string, options: GuardOptions & { path?: string }): Promise<URL> {
  const path = options.path ?? "url";
  const refuse = (message: string) => invalid(`The destination URL cannot be used: ${message}`, [{ path, message }]);
  const refusal = urlRefusal(url, options);
  if (refusal) throw refuse(refusal.message);
  const parsed = new URL(url);
  if (options.allowPrivate || ipLiteral(parsed.hostname)) return parsed;
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(parsed.hostname);
  } catch (error) {
    throw refuse(`the host ${parsed.hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? "DNS error"})`);
  }
  if (addresses.length === 0) throw refuse(`the host ${parsed.hostname} does not resolve`);
  const refused = refusedAmong(parsed.hostname, addresses);
  if (refused) throw refuse(refused);
  return parsed;
}

/**
 * A `lookup` for http(s).request that resolves the name and refuses the
 * connection (RefusedAddressError) when any address is not public, so what was
 * checked at save is checked again at connect time.
 */
export function guardedLookup(options: GuardOptions): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  return (hostname, lookupOptions, callback) => {
    const family = lookupOptions.family === "IPv4" ? 4 : lookupOptions.family === "IPv6" ? 6 : (lookupOptions.family ?? 0);
    resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.filter((address) => family === 0 || address.family === family);
        const refused = options.allowPrivate ? null : refusedAmong(hostname, resolved);
        if (refused) return callback(new RefusedAddressError(refused), "", 0);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: "ENOTFOUND" }), "", 0);
        if (lookupOptions.all) return callback(null, addresses);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
