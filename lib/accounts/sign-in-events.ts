import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { logsOfUser } from "@/lib/access/organizations";
import { userEntity } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent, type AppEvent } from "@/lib/events/app-events";

/**
 * Records an event about a user's own account in each log they belong in (each
 * of their organizations, and the vendor log for staff), inside the caller's
 * transaction so it commits with the change it records.
 */
export async function recordUserEvent(tx: TransactionSql, userId: string, action: AppEvent["action"], context: RequestContext, metadata?: AppEvent["metadata"]): Promise<void> {
  const [user] = await tx<{ id: string; name: string; email: string; platform_role: string | null }[]>`
    select id, name, email, platform_role from users where id = ${userId}`;
  if (!user) return;
  for (const log of await logsOfUser(tx, { id: user.id, platformRole: user.platform_role })) {
    await recordAppEvent(tx, log.organizationId, { action, actor: userEntity(user, log.externalId), ip: context.ip, userAgent: context.userAgent, metadata });
  }
}

export const recordSignIn = (userId: string, context: RequestContext) =>
  sql().begin((tx) => recordUserEvent(tx, userId, "orgtrail.user.signed_in", context));

export const recordSignInFailed = (userId: string, context: RequestContext) =>
  sql().begin((tx) => recordUserEvent(tx, userId, "orgtrail.user.sign_in_failed", context, { reason: "wrong_password" }));
