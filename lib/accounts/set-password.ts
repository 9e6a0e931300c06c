import "server-only";
import { sql } from "@/db/client";
import { notFound } from "@/lib/errors";
import { hashOneTimeToken, isOneTimeToken } from "@/lib/auth/one-time-link";
import { hashPassword, newPasswordSchema } from "@/lib/auth/password";
import { NO_REQUEST, type RequestContext } from "@/lib/auth/request-context";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { spendSetPasswordLinks } from "@/lib/auth/user-tokens";
import { recordUserEvent } from "./sign-in-events";

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
