import "server-only";
import { cookies } from "next/headers";
import { getToken, type GetTokenParams } from "next-auth/jwt";
import type { PlatformRole } from "@/db/schema";
import { unauthorized } from "@/lib/errors";
import { env } from "@/lib/env";
import { findApiKey, type ApiKeyPrincipal } from "./api-key";
import { findLiveSession } from "./sessions";

export type UserPrincipal = {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole | null;
  /** A portal session (lib/portal): the one organization it reaches, and the link it was opened with. Staff roles do not apply in it. */
  portal?: { organizationId: string; linkId: string | null };
};

export type Principal = UserPrincipal | ApiKeyPrincipal;

/**
 * The user of a session cookie: the cookie (next-auth's encrypted JWT) names a
 * session, and the session row must still be live (not signed out, not ended by
 * a password change, not expired). Read from the database on every request, in
 * one primary-key lookup joined to users, so revocations and removals apply at once.
 */
export async function userOfSessionCookies(cookieValues: Record<string, string>): Promise<UserPrincipal | null> {
  // getToken reads only the request's cookies and headers. No headers: it would also take a token from `Authorization: Bearer`, which is for API keys.
  const request = { cookies: cookieValues, headers: {} } as unknown as GetTokenParams["req"];
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET });
  if (!token?.sid) return null;
  const live = await findLiveSession(token.sid);
  if (!live || live.userId !== token.uid) return null;
  if (live.organizationId) {
    return { kind: "user", userId: live.userId, email: live.email, name: live.name, platformRole: null, portal: { organizationId: live.organizationId, linkId: live.portalLinkId } };
  }
  return { kind: "user", userId: live.userId, email: live.email, name: live.name, platformRole: live.platformRole };
}

/** The signed-in user of the request being served (pages, route handlers, server actions). */
export async function sessionUser(): Promise<UserPrincipal | null> {
  const store = await cookies();
  return userOfSessionCookies(Object.fromEntries(store.getAll().map((cookie) => [cookie.name, cookie.value])));
}

/** The caller of an API request: a Bearer API key if one is sent, else the session. */
export async function resolvePrincipal(request: Request): Promise<Principal> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized("The Authorization header must be `Bearer <api key>`");
    const key = await findApiKey(match[1]!);
    if (!key) throw unauthorized("The API key is invalid or revoked");
    return key;
  }
  const user = await sessionUser();
  if (!user) throw unauthorized();
  return user;
}
