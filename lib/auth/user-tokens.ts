import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { appLink, generateOneTimeToken, hashOneTimeToken, isOneTimeToken } from "./one-time-link";

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

/** Makes every open set-password link of a user unusable (a password was just set or changed), in the caller's transaction. */
export async function spendSetPasswordLinks(tx: TransactionSql, userId: string): Promise<void> {
  await tx`update user_tokens set used_at = now() where user_id = ${userId} and purpose = 'set_password' and used_at is null`;
}
