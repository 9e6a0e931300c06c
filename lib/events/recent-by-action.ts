import "server-only";
import { sql } from "@/db/client";
import { requireVendorPermission } from "@/lib/admin/vendor-admin";
import type { Principal } from "@/lib/auth/principal";
import type { EventEntity, Metadata } from "./types";

/** Only what checking an event against a schema needs, plus where to find it: no actor ids or names, no IPs. */
export type EventForSchemaPreview = {
  organizationSlug: string;
  id: string;
  version: number;
  occurredAt: string;
  actor: { metadata?: Metadata };
  targets: { type: string; metadata?: Metadata }[];
  metadata: Metadata;
};

export const PREVIEW_LIMIT = 200;

/**
 * THE VENDOR'S CROSS-ORGANIZATION READ, for schema preview only: the latest
 * events of one action across all organizations, so the console can show which
 * of them a draft schema version would refuse. It is one of the allowed readers
 * of audit_events outside eventsVisibleTo(scope), because a schema applies to
 * every organization at once. It checks schemas.manage itself and returns only
 * the fields validation needs. Each organization's part is read through the
 * (organization_id, action, occurred_at) index: organizations come from action_stats.
 */
export async function recentEventsOfActionForSchemaPreview(principal: Principal, action: string, limit = PREVIEW_LIMIT): Promise<EventForSchemaPreview[]> {
  requireVendorPermission(principal, "schemas.manage");
  const n = Math.max(1, Math.min(limit, 1000));
  const rows = await sql()<{ slug: string; id: string; version: number; occurred_at: Date; actor_metadata: Metadata | null; targets: EventEntity[]; metadata: Metadata | null }[]>`
    select o.slug, e.id, e.version, e.occurred_at, e.actor_metadata, e.targets, e.metadata
    from action_stats s
    join organizations o on o.id = s.organization_id
    cross join lateral (
      select a.id, a.version, a.occurred_at, a.actor_metadata, a.targets, a.metadata
      from audit_events a
      where a.organization_id = s.organization_id and a.action = s.action
      order by a.occurred_at desc, a.id desc
      limit ${n}
    ) e
    where s.action = ${action}
    order by e.occurred_at desc, e.id desc
    limit ${n}`;
  return rows.map((r) => ({
    organizationSlug: r.slug,
    id: r.id,
    version: r.version,
    occurredAt: r.occurred_at.toISOString(),
    actor: r.actor_metadata ? { metadata: r.actor_metadata } : {},
    targets: r.targets.map((t) => ({ type: t.type, ...(t.metadata ? { metadata: t.metadata } : {}) })),
    metadata: r.metadata ?? {},
  }));
}
