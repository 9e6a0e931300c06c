import "server-only";
import { and, desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { db, sql } from "@/db/client";
import { supportGrants } from "@/db/schema";
import { ApiError, notFound } from "@/lib/api/errors";
import type { UserPrincipal } from "@/lib/auth/principal";
import { userEntity } from "@/lib/auth/sign-in-events";
import { recordAppEvent } from "@/lib/events/app-events";
import type { ScopeOrganization } from "./scope";

export const SUPPORT_GRANT_MINUTES = 60;
export const SUPPORT_REASON_MIN = 10;
// Metadata values are at most 500 characters (DESIGN, "The event").
export const SUPPORT_REASON_MAX = 500;

export const supportReasonSchema = z
  .string()
  .trim()
  .min(SUPPORT_REASON_MIN, `Give a reason of at least ${SUPPORT_REASON_MIN} characters: the customer will read it in their log`)
  .max(SUPPORT_REASON_MAX, `Keep the reason under ${SUPPORT_REASON_MAX} characters`);

export type SupportGrant = { id: string; reason: string; createdAt: Date; expiresAt: Date };

/** The support engineer's live grant on an organization's log, if any. */
export async function activeSupportGrant(userId: string, organizationId: string, now = new Date()): Promise<SupportGrant | null> {
  const [grant] = await db()
    .select({ id: supportGrants.id, reason: supportGrants.reason, createdAt: supportGrants.createdAt, expiresAt: supportGrants.expiresAt })
    .from(supportGrants)
    .where(and(eq(supportGrants.organizationId, organizationId), eq(supportGrants.userId, userId), gt(supportGrants.expiresAt, now)))
    .orderBy(desc(supportGrants.expiresAt))
    .limit(1);
  return grant ?? null;
}

type RequestContext = { ip: string | null; userAgent: string | null };

/**
 * Opens a customer's log to a vendor support engineer for SUPPORT_GRANT_MINUTES,
 * read-only. The grant and the `orgtrail.support.accessed` event in the
 * customer's own log commit together, so no access goes unrecorded.
 */
export async function openSupportAccess(user: UserPrincipal, organization: ScopeOrganization, reason: string, context: RequestContext): Promise<SupportGrant> {
  if (user.platformRole !== "vendor_support" || organization.kind !== "customer") throw notFound("Organization not found");
  const parsed = supportReasonSchema.safeParse(reason);
  if (!parsed.success) {
    throw new ApiError(422, "validation_failed", parsed.error.issues[0]!.message, [{ path: "reason", message: parsed.error.issues[0]!.message }]);
  }
  const expiresAt = new Date(Date.now() + SUPPORT_GRANT_MINUTES * 60_000);
  return sql().begin(async (tx) => {
    const [row] = await tx<{ id: string; created_at: Date }[]>`
      insert into support_grants (organization_id, user_id, reason, expires_at)
      values (${organization.id}, ${user.userId}, ${parsed.data}, ${expiresAt})
      returning id, created_at`;
    await recordAppEvent(tx, organization.id, {
      action: "orgtrail.support.accessed",
      actor: userEntity({ id: user.userId, name: user.name, email: user.email }, null),
      metadata: { reason: parsed.data, expires_at: expiresAt.toISOString() },
      ip: context.ip,
      userAgent: context.userAgent,
    });
    return { id: row!.id, reason: parsed.data, createdAt: row!.created_at, expiresAt };
  });
}

/** Ends the engineer's access to an organization's log before it runs out. */
export async function endSupportAccess(user: UserPrincipal, organizationId: string): Promise<void> {
  const now = new Date();
  await db()
    .update(supportGrants)
    .set({ expiresAt: now })
    .where(and(eq(supportGrants.organizationId, organizationId), eq(supportGrants.userId, user.userId), gt(supportGrants.expiresAt, now)));
}
