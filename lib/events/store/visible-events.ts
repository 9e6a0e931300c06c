import "server-only";
import { and, eq, gt, gte, or, sql, type SQL } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { auditEvents } from "@/db/schema";
import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { notFound } from "@/lib/errors";
import { EARLIEST_TIME_MS } from "../time-bounds";

/** A stored event as drizzle reads it: every column of audit_events. */
export type EventRow = typeof auditEvents.$inferSelect;

/**
 * The rule every read of audit_events starts from: the scope's organization
 * and, for a caller who may read only their own events, the events that name
 * them as actor or target. A caller who may read nothing gets 404, so the
 * organization's existence does not leak.
 */
function visibleTo(scope: Scope): SQL {
  const inOrganization = eq(auditEvents.organizationId, scope.organization.id);
  if (can(scope, "events.read.all")) return inOrganization;
  if (can(scope, "events.read.own") && scope.ownActorId) {
    const own = scope.ownActorId;
    return and(inOrganization, or(eq(auditEvents.actorId, own), sql`${auditEvents.targetIds} @> array[${own}]::text[]`))!;
  }
  throw notFound("Organization not found");
}

const builder = new QueryBuilder();

/**
 * The one handle for reading audit_events (DESIGN, "Access"): the events the
 * scope may see, as a subquery named `events` to select from, filter and
 * order. PostgreSQL pulls a plain subquery up into the query around it, so
 * every read plans as it would on the table itself, on the same indexes
 * (query-plans.test.ts). The table object is importable only inside
 * lib/events/store (eslint.config.mjs), so no other read can skip the scope.
 */
export function visibleEvents(scope: Scope) {
  return builder.select().from(auditEvents).where(visibleTo(scope)).as("events");
}

export type VisibleEvents = ReturnType<typeof visibleEvents>;

/**
 * How far past its receipt a stored event's occurred_at may lie: the CHECK
 * constraint audit_events_occurred_by_receipt (migration 0012). Twice what
 * ingest accepts (MAX_FUTURE_MS), so a clock stepped back between ingest's
 * check and the insert cannot fail the insert.
 */
export const STORED_FUTURE_MS = 10 * 60_000;

/**
 * occurred_at at or after `at` (after, when not `inclusive`), with the bound
 * on received_at it implies: the CHECK constraint holds every stored row to
 * STORED_FUTURE_MS, so no row is lost; and as audit_events is partitioned by
 * month of received_at, the planner then skips the months before `at` instead
 * of planning and probing every month. The bound is rounded down to the start
 * of its UTC month, the partitions' grain: it skips the same months, and every
 * row of a month it keeps passes it, so the planner does not multiply
 * occurred_at's selectivity by a second, correlated one on received_at (which
 * made its row estimates, and the totals estimated from them, far too low).
 */
export function occurredSince(events: VisibleEvents, at: Date, inclusive = true): SQL {
  const received = new Date(Math.max(at.getTime() - STORED_FUTURE_MS, EARLIEST_TIME_MS));
  // setUTC*, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  received.setUTCDate(1);
  received.setUTCHours(0, 0, 0, 0);
  return and((inclusive ? gte : gt)(events.occurredAt, at), gte(events.receivedAt, received))!;
}
