import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { notFound } from "@/lib/errors";
import { NO_REQUEST, type RequestContext } from "@/lib/events/app-actor";
import { appLink, generateOneTimeToken, hashOneTimeToken, isOneTimeToken } from "./one-time-link";
import { hashPassword, newPasswordSchema } from "./password";
import { revokeUserSessions } from "./sessions";
import { recordUserEvent } from "./sign-in-events";

/** How long a set-password link stays valid. */
export const SET_PASSWORD_TTL_HOURS = 24;

export const setPasswordPath = (token: string): string => `/set-password/${token}`;

/**
 * Issues a one-time link with which a user sets their password, inside the
 * caller's transaction (so the link exists only if the change that needed it
 * commits). The token is returned once; only its SHA-256 is stored.
 */
export async function issueSetPasswordToken(tx: TransactionSql, userId: string): Promise<{ token: string; url: string; expiresAt: Date }> {
  const { token, hash } = generateOneTimeToken();
  const expiresAt = new Date(Date.now() + SET_PASSWORD_TTL_HOURS * 3_600_000);
  await tx`insert into user_tokens (user_id, purpose, token_hash, expires_at) values (${userId}, 'set_password', ${hash}, ${expiresAt.toISOString()})`;
  return { token, url: appLink(setPasswordPath(token)), expiresAt };
}

export type SetPasswordLinkState = "valid" | "used" | "expired";

/** What a set-password link leads to, for its page; null for a token that was never issued. */
export async function describeSetPasswordToken(token: string): Promise<{ state: SetPasswordLinkState; email: string; name: string } | null> {
  if (!isOneTimeToken(token)) return null;
  const [row] = await sql()<{ email: string; name: string; expired: boolean; used: boolean }[]>`
    select u.email, u.name, t.expires_at <= now() as expired, t.used_at is not null as used
    from user_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${hashOneTimeToken(token)} and t.purpose = 'set_password'`;
  if (!row) return null;
  return { state: row.used ? "used" : row.expired ? "expired" : "valid", email: row.email, name: row.name };
}

const UNUSABLE_LINK = "This link is not valid, has expired or was already used. Ask for a new one.";

/**
 * Sets a user's password with a set-password link: the link must be unused and
 * unexpired, and is spent. Every other open link of the user is spent too, and
 * their sessions end, so a leaked older link or a stolen session stops working.
 * The change and its `orgtrail.user.password_set` events commit together.
 */
export async function consumeSetPasswordToken(token: string, password: string, context: RequestContext = NO_REQUEST): Promise<{ email: string }> {
  const newPassword = newPasswordSchema.parse(password);
  if (!isOneTimeToken(token)) throw notFound(UNUSABLE_LINK);
  const passwordHash = await hashPassword(newPassword);
  return sql().begin(async (tx) => {
    const [found] = await tx<{ user_id: string }[]>`
      select user_id from user_tokens
      where token_hash = ${hashOneTimeToken(token)} and purpose = 'set_password' and used_at is null and expires_at > now()
      for update`;
    if (!found) throw notFound(UNUSABLE_LINK);
    const [user] = await tx<{ id: string; email: string }[]>`
      update users set password_hash = ${passwordHash} where id = ${found.user_id} returning id, email`;
    await spendSetPasswordLinks(tx, user!.id);
    await revokeUserSessions(tx, user!.id);
    await recordUserEvent(tx, user!.id, "orgtrail.user.password_set", context, { method: "link" });
    return { email: user!.email };
  });
}

/** Makes every open set-password link of a user unusable (a password was just set or changed), in the caller's transaction. */
export async function spendSetPasswordLinks(tx: TransactionSql, userId: string): Promise<void> {
  await tx`update user_tokens set used_at = now() where user_id = ${userId} and purpose = 'set_password' and used_at is null`;
}
