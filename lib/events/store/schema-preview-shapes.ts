import "server-only";
import { sql } from "@/db/client";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import type { Principal } from "@/lib/auth/principal";
import { shapeOf, type Shape } from "../shape";
import type { EventEntity, Metadata } from "../types";

/** Only the shape of what checking an event against a schema needs: no values, no ids, no organization, no time. */
export type EventShapeForSchemaPreview = {
  actor: { metadata?: Shape };
  targets: { type: string; metadata?: Shape }[];
  metadata: Shape;
};

export const PREVIEW_LIMIT = 200;

/**
 * THE VENDOR'S CROSS-ORGANIZATION READ, for schema preview only: the latest
 * events of one action across all organizations, so the console can count how
 * many a draft schema version would refuse. It is the one read of
 * audit_events outside visibleEvents(scope), because a schema applies to
 * every organization at once. Vendor staff may not read customers' events, so
 * it checks schemas.manage itself and hands out only each event's shape (its
 * metadata keys and the kinds of their values, and its target types): no value
 * leaves this function. Each organization's part is read through the
 * (organization_id, action, occurred_at) index: organizations come from action_stats.
 */
export async function recentEventShapesForSchemaPreview(principal: Principal, action: string, limit = PREVIEW_LIMIT): Promise<EventShapeForSchemaPreview[]> {
  requireVendorPermission(principal, "schemas.manage");
  const n = Math.max(1, Math.min(limit, 1000));
  const rows = await sql()<{ actor_metadata: Metadata | null; targets: EventEntity[]; metadata: Metadata | null }[]>`
    select e.actor_metadata, e.targets, e.metadata
    from action_stats s
    cross join lateral (
      select a.occurred_at, a.id, a.actor_metadata, a.targets, a.metadata
      from audit_events a
      where a.organization_id = s.organization_id and a.action = s.action
      order by a.occurred_at desc, a.id desc
      limit ${n}
    ) e
    where s.action = ${action}
    order by e.occurred_at desc, e.id desc
    limit ${n}`;
  return rows.map((r) => ({
    actor: r.actor_metadata ? { metadata: shapeOf(r.actor_metadata) } : {},
    targets: r.targets.map((t) => ({ type: t.type, ...(t.metadata ? { metadata: shapeOf(t.metadata) } : {}) })),
    metadata: shapeOf(r.metadata ?? {}),
  }));
}
