import "server-only";
import { and, eq, gt, isNull, lt, sql as drizzleSql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { db } from "@/db/client";
import { sessions, users, type PlatformRole, type Session } from "@/db/schema";
import { isUuid } from "@/lib/uuid";

/**
 * Server-side sessions. The session cookie (next-auth's JWT) carries only a
 * session id and user id; the row decides whether it still counts, so
 * sign-out and a password change end it at once, wherever the cookie was copied.
 */

export type SessionMethod = Session["method"];

/** A session lasts this long from sign-in, however active it is; the cookie's own expiry is the same. */
export const SESSION_HOURS = 12;

/** The user of a live session, as sessionUser() needs them; a portal session also names the one organization it reaches and its link. */
export type SessionUser = {
  sessionId: string;
  expiresAt: Date;
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole | null;
  organizationId: string | null;
  portalLinkId: string | null;
};

/**
 * Opens a session for a user who has just proved who they are, by any sign-in
 * method (password, single sign-on, one-time link). next-auth's jwt callback
 * calls it for every provider; its id goes into the cookie.
 */
export async function createSession(userId: string, method: SessionMethod): Promise<{ id: string; expiresAt: Date }> {
  // The user's sessions that ended long ago are of no more use (their sign-ins and sign-outs are in the audit log).
  await db().delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, drizzleSql`now() - interval '1 day'`)));
  const [row] = await db()
    .insert(sessions)
    .values({ userId, method, expiresAt: drizzleSql`now() + make_interval(hours => ${SESSION_HOURS})` })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  return row!;
}

/** The session and its user, if the session exists, is not revoked and has not expired: one primary-key lookup joined to users. */
export async function findLiveSession(id: unknown): Promise<SessionUser | null> {
  if (typeof id !== "string" || !isUuid(id)) return null;
  const [row] = await db()
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      platformRole: users.platformRole,
      organizationId: sessions.organizationId,
      portalLinkId: sessions.portalLinkId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, drizzleSql`now()`)))
    .limit(1);
  return row ? { ...row, platformRole: row.platformRole ?? null } : null;
}

/**
 * Opens a portal session (lib/portal/follow.ts), inside the transaction that
 * spends its link: confined to one organization, for `minutes`.
 */
export async function openPortalSession(tx: TransactionSql, input: { userId: string; organizationId: string; portalLinkId: string; minutes: number }): Promise<{ id: string; expiresAt: Date }> {
  const [row] = await tx<{ id: string; expires_at: Date }[]>`
    insert into sessions (user_id, method, organization_id, portal_link_id, expires_at)
    values (${input.userId}, 'portal_link', ${input.organizationId}, ${input.portalLinkId}, now() + make_interval(mins => ${input.minutes}))
    returning id, expires_at`;
  return { id: row!.id, expiresAt: row!.expires_at };
}

/** Ends every open session of a user (password change, password set), inside the caller's transaction. */
export async function revokeUserSessions(tx: TransactionSql, userId: string): Promise<void> {
  await tx`update sessions set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
}
