import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db, sql } from "@/db/client";
import { users } from "@/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import type { RequestContext } from "@/lib/auth/request-context";
import { countWrongPassword, mayTryPassword } from "@/lib/auth/attempt-limits";
import { hashPassword, newPasswordSchema, verifyPassword } from "@/lib/auth/password";
import type { UserPrincipal } from "@/lib/auth/principal";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { recordUserEvent } from "./sign-in-events";
import { spendSetPasswordLinks } from "@/lib/auth/user-tokens";

const FIELD_LABELS: Record<string, string> = { currentPassword: "Current password", newPassword: "New password", confirmPassword: "Confirmation" };

const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((input) => input.confirmPassword === input.newPassword, { path: ["confirmPassword"], message: "does not match the new password" })
  .refine((input) => input.newPassword !== input.currentPassword, { path: ["newPassword"], message: "must differ from the current password" });

export type PasswordChangeInput = z.input<typeof passwordChangeInput>;

export const SINGLE_SIGN_ON_ONLY = "You sign in through single sign-on, so your password is managed by your identity provider.";

/** Whether the user has an Orgtrail password to change (single sign-on accounts and accounts still waiting for a set-password link have none). */
export async function hasPassword(userId: string): Promise<boolean> {
  const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
  return Boolean(row?.passwordHash);
}

/**
 * A signed-in user changes their own password, proving it with the current
 * one. Wrong current passwords are limited like sign-in (per account and IP,
 * and per IP). On success every session of the user ends, the current one
 * included, unused set-password links are spent, and
 * `orgtrail.user.password_changed` is written to each of the user's logs, all
 * in one transaction.
 */
export async function changePassword(user: UserPrincipal, input: unknown, context: RequestContext): Promise<void> {
  const parsed = passwordChangeInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "");
    throw badRequest(`${FIELD_LABELS[field] ?? "The form"} ${issue.message}`);
  }
  const { currentPassword, newPassword } = parsed.data;
  const account = `user:${user.userId}`;
  if (!mayTryPassword(account, context.ip)) {
    throw new AppError("rate_limited", "Too many wrong passwords. Wait a few minutes before trying again.");
  }
  const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.userId)).limit(1);
  if (!row?.passwordHash) throw new AppError("conflict", SINGLE_SIGN_ON_ONLY);
  if (!(await verifyPassword(currentPassword, row.passwordHash))) {
    countWrongPassword(account, context.ip);
    throw badRequest("The current password is not correct.");
  }
  const passwordHash = await hashPassword(newPassword);
  await sql().begin(async (tx) => {
    // Only over the hash just checked: a concurrent change wins, and this one asks to start again.
    const changed = await tx`update users set password_hash = ${passwordHash} where id = ${user.userId} and password_hash = ${row.passwordHash} returning id`;
    if (changed.length === 0) throw new AppError("conflict", "Your password was changed in the meantime. Sign in again and retry.");
    await revokeUserSessions(tx, user.userId);
    await spendSetPasswordLinks(tx, user.userId);
    await recordUserEvent(tx, user.userId, "orgtrail.user.password_changed", context);
  });
}
