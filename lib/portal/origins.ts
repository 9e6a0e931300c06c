/*
 * Web origins in the portal's settings: where a portal session may return to
 * and which sites may frame it. Plain functions with no server-only import:
 * proxy.ts (bundled apart from the app's server code) reads them too.
 */

/** Plain http is only for a developer's own machine; every other origin is https. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `https://app.example.com` (scheme, host and port, nothing else) from what was typed, or null when it is not one. */
export function normalizeOrigin(input: string): string | null {
  const trimmed = input.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) return null;
  // The origin alone: a path, query, fragment or credentials mean the value is a URL, not an origin.
  if (url.username || url.password || url.pathname !== "/" || trimmed.includes("?") || trimmed.includes("#")) return null;
  // A plain host name or address: no wildcards, nothing a Content-Security-Policy would read as more than one host.
  if (!/^[a-z0-9.-]+$/.test(url.hostname) && !/^\[[0-9a-f:.]+\]$/.test(url.hostname)) return null;
  return url.origin;
}

/** Whether a URL's origin is one of `origins` (already normalized). */
export function isOnOrigin(url: string, origins: readonly string[]): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
    return origins.includes(parsed.origin);
  } catch {
    return false;
  }
}

/** The value of a `frame-ancestors` directive: the given origins, or `'none'` when there are none (or none is well formed). */
export function frameAncestorsSource(origins: readonly string[]): string {
  const valid = origins.map(normalizeOrigin).filter((origin): origin is string => origin !== null);
  return valid.length ? valid.join(" ") : "'none'";
}
