import "server-only";
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { notFound } from "@/lib/errors";

/**
 * The one condition every read of audit_events starts from: the scope's
 * organization and, for a caller who may read only their own events, the
 * events that name them as actor or target. A caller who may read nothing
 * gets 404, so the organization's existence does not leak.
 */
export function eventsVisibleTo(scope: Scope): SQL {
  const inOrganization = eq(auditEvents.organizationId, scope.organization.id);
  if (can(scope, "events.read.all")) return inOrganization;
  if (can(scope, "events.read.own") && scope.ownActorId) {
    const own = scope.ownActorId;
    return and(inOrganization, or(eq(auditEvents.actorId, own), sql`${auditEvents.targetIds} @> array[${own}]::text[]`))!;
  }
  throw notFound("Organization not found");
}
