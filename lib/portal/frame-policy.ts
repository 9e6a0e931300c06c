import { decode } from "next-auth/jwt";

/*
 * What proxy.ts needs to know of a portal session: which sites may frame its
 * pages. The session cookie (next-auth's encrypted JWT, written by
 * lib/portal/session-cookie.ts) carries them, so the proxy reads no database.
 * No server-only import: the proxy is bundled apart from the app's server code.
 */

/** next-auth's session cookie names: `__Secure-` when the app is served over https (NEXTAUTH_URL). */
export const SESSION_COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

export const sessionCookieName = (publicUrl: string | undefined): string => (publicUrl?.startsWith("https://") ? SESSION_COOKIE_NAMES[0] : SESSION_COOKIE_NAMES[1]);

/**
 * The frame-ancestors origins of the request's portal session, [] for a portal
 * session that may not be framed, or null when the request carries no portal
 * session (any other session, none, or a cookie that does not decrypt).
 */
export async function portalFrameAncestors(cookies: { get(name: string): { value: string } | undefined }, secret: string | undefined): Promise<string[] | null> {
  if (!secret) return null;
  for (const name of SESSION_COOKIE_NAMES) {
    const value = cookies.get(name)?.value;
    if (!value) continue;
    try {
      const token = await decode({ token: value, secret });
      if (token && Array.isArray(token.fa)) return token.fa.filter((origin): origin is string => typeof origin === "string");
    } catch {
      // A cookie that does not decrypt is no portal session; the page then treats it as no session at all.
    }
  }
  return null;
}
