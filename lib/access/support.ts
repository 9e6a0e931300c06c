import "server-only";
import { and, desc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { db, sql } from "@/db/client";
import { supportGrants } from "@/db/schema";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";

// Support grants as scope resolution reads them; opening and ending access records events, in lib/support/support-access.ts.

/** How long a grant may run: a few fixed choices, so every access in a customer's log is short and comparable. */
export const SUPPORT_DURATIONS_MINUTES = [15, 60, 240] as const;
export type SupportDurationMinutes = (typeof SUPPORT_DURATIONS_MINUTES)[number];
export const SUPPORT_DEFAULT_MINUTES: SupportDurationMinutes = 60;
export const SUPPORT_REASON_MIN = 10;
// Metadata values are at most 500 characters (DESIGN, "The event").
export const SUPPORT_REASON_MAX = 500;

/** What the request form needs to know (the form is a client component and cannot import this module). */
export const SUPPORT_FORM_LIMITS = {
  minLength: SUPPORT_REASON_MIN,
  maxLength: SUPPORT_REASON_MAX,
  durations: SUPPORT_DURATIONS_MINUTES,
  defaultMinutes: SUPPORT_DEFAULT_MINUTES,
};

export const supportReasonSchema = z
  .string()
  .trim()
  .min(SUPPORT_REASON_MIN, `Give a reason of at least ${SUPPORT_REASON_MIN} characters: the customer will read it in their log`)
  .max(SUPPORT_REASON_MAX, `Keep the reason under ${SUPPORT_REASON_MAX} characters`)
  .refine(isStorableText, `The reason ${STORABLE_TEXT_MESSAGE}`);

export const supportDurationSchema = z.literal(SUPPORT_DURATIONS_MINUTES, { error: `Choose a duration of ${SUPPORT_DURATIONS_MINUTES.join(", ")} minutes` });

export const supportRequestSchema = z.object({ reason: supportReasonSchema, minutes: supportDurationSchema });

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

/** The engineer's live grants, by organization id: when each ends. */
export async function activeSupportGrantsOf(userId: string): Promise<Map<string, Date>> {
  const rows = await sql()<{ organization_id: string; expires_at: Date }[]>`
    select organization_id, max(expires_at) as expires_at from support_grants
    where user_id = ${userId} and expires_at > now()
    group by organization_id`;
  return new Map(rows.map((r) => [r.organization_id, r.expires_at]));
}

export type SupportableOrganization = { slug: string; name: string; accessUntil: Date | null };

/**
 * Customer organizations a support engineer may ask to reach (those they are not
 * a member of), live grants first, for the org switcher: at most `limit`.
 */
export async function supportableOrganizations(userId: string, limit: number): Promise<SupportableOrganization[]> {
  const rows = await sql()<{ slug: string; name: string; access_until: Date | null }[]>`
    select o.slug, o.name, g.expires_at as access_until
    from organizations o
    left join lateral (
      select max(expires_at) as expires_at from support_grants
      where organization_id = o.id and user_id = ${userId} and expires_at > now()
    ) g on true
    where o.kind = 'customer'
      and not exists (select 1 from memberships m where m.organization_id = o.id and m.user_id = ${userId})
    order by g.expires_at is null, lower(o.name)
    limit ${limit}`;
  return rows.map((r) => ({ slug: r.slug, name: r.name, accessUntil: r.access_until }));
}
