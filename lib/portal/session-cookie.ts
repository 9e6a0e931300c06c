import "server-only";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { sessionCookieName } from "./frame-policy";

/**
 * The session cookie of a portal session, as a Set-Cookie value. The same
 * next-auth JWT as any session (the session id and user id, which the sessions
 * table checks on every request), plus the origins that may frame it for
 * proxy.ts. SameSite=None; Secure; Partitioned (CHIPS): inside a vendor's
 * iframe it is a third-party cookie, kept in a jar of that site only, so it
 * works where browsers block third-party cookies. Secure cookies are accepted
 * on http://localhost, so this also works in development.
 */
export async function portalSessionCookie(input: { sessionId: string; userId: string; frameAncestors: string[]; maxAgeSeconds: number }): Promise<string> {
  const value = await encode({ token: { sid: input.sessionId, uid: input.userId, fa: input.frameAncestors }, secret: env().NEXTAUTH_SECRET, maxAge: input.maxAgeSeconds });
  return `${sessionCookieName(env().NEXTAUTH_URL)}=${value}; Path=/; Max-Age=${input.maxAgeSeconds}; HttpOnly; Secure; SameSite=None; Partitioned`;
}
