import "server-only";
import { eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { memberships, organizations, users } from "@/db/schema";
import { recordAppEvent, type AppEvent } from "@/lib/events/app-events";
import type { EventEntity } from "@/lib/events/types";

type RequestContext = { ip: string | null; userAgent: string | null };

/** An Orgtrail user as actor or target in an organization's log (DESIGN, "The app's own events"). */
export function userEntity(user: { id: string; name: string; email: string }, externalId: string | null): EventEntity {
  return { type: "user", id: externalId ?? user.id, name: user.name, metadata: { email: user.email } };
}

/** The logs a user's session events belong in: each of their organizations, or the vendor log for staff. */
async function logsOfUser(userId: string): Promise<{ user: { id: string; name: string; email: string }; logs: { organizationId: string; externalId: string | null }[] } | null> {
  const [user] = await db().select({ id: users.id, name: users.name, email: users.email, platformRole: users.platformRole }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  const logs = await db().select({ organizationId: memberships.organizationId, externalId: memberships.externalId }).from(memberships).where(eq(memberships.userId, userId));
  if (user.platformRole) {
    const [vendor] = await db().select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, "vendor")).limit(1);
    if (vendor) logs.push({ organizationId: vendor.id, externalId: null });
  }
  return { user, logs };
}

async function recordForUser(userId: string, action: AppEvent["action"], context: RequestContext, metadata?: AppEvent["metadata"]): Promise<void> {
  const found = await logsOfUser(userId);
  if (!found || found.logs.length === 0) return;
  await sql().begin(async (tx) => {
    for (const log of found.logs) {
      await recordAppEvent(tx, log.organizationId, { action, actor: userEntity(found.user, log.externalId), ip: context.ip, userAgent: context.userAgent, metadata });
    }
  });
}

export const recordSignIn = (userId: string, context: RequestContext) => recordForUser(userId, "orgtrail.user.signed_in", context);

export const recordSignInFailed = (userId: string, context: RequestContext) =>
  recordForUser(userId, "orgtrail.user.sign_in_failed", context, { reason: "wrong_password" });

export const recordSignOut = (userId: string) => recordForUser(userId, "orgtrail.user.signed_out", { ip: null, userAgent: null });
