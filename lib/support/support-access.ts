import "server-only";
import { and, eq, gt } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { supportGrants } from "@/db/schema";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { userEntity } from "@/lib/access/actor";
import { SUPPORT_DEFAULT_MINUTES, supportRequestSchema, type SupportGrant } from "@/lib/access/support";
import type { ScopeOrganization } from "@/lib/access/scope";
import type { UserPrincipal } from "@/lib/auth/principal";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";

/**
 * Opens a customer's log to a vendor support engineer, read-only, for one of
 * SUPPORT_DURATIONS_MINUTES. The grant and the `orgtrail.support.accessed`
 * event in the customer's own log commit together, so no access goes unrecorded.
 */
export async function openSupportAccess(
  user: UserPrincipal,
  organization: ScopeOrganization,
  reason: string,
  context: RequestContext,
  minutes: unknown = SUPPORT_DEFAULT_MINUTES,
): Promise<SupportGrant> {
  if (user.platformRole !== "vendor_support" || organization.kind !== "customer") throw notFound("Organization not found");
  const parsed = supportRequestSchema.safeParse({ reason, minutes });
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new AppError("validation_failed", issues[0]!.message, issues);
  }
  const { reason: givenReason, minutes: givenMinutes } = parsed.data;
  const expiresAt = new Date(Date.now() + givenMinutes * 60_000);
  return sql().begin(async (tx) => {
    const [row] = await tx<{ id: string; created_at: Date }[]>`
      insert into support_grants (organization_id, user_id, reason, expires_at)
      values (${organization.id}, ${user.userId}, ${givenReason}, ${expiresAt})
      returning id, created_at`;
    await recordAppEvent(tx, organization.id, {
      action: "orgtrail.support.accessed",
      actor: userEntity({ id: user.userId, name: user.name, email: user.email }, null),
      metadata: { reason: givenReason, duration_minutes: givenMinutes, expires_at: expiresAt.toISOString() },
      ip: context.ip,
      userAgent: context.userAgent,
    });
    return { id: row!.id, reason: givenReason, createdAt: row!.created_at, expiresAt };
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
