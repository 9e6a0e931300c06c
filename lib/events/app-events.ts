import "server-only";
import type { TransactionSql } from "postgres";
import { v7 as uuidv7 } from "uuid";
import { checkAgainstSchema } from "@/lib/events/schema-check/registry";
import { internalEventInputSchema } from "./event-input";
import { appendInTransaction } from "./append";
import { normalizeIp } from "@/lib/ip";
import type { EventEntity, Metadata } from "./types";

export type AppEvent = {
  action: `orgtrail.${string}`;
  actor: EventEntity;
  targets?: EventEntity[];
  metadata?: Metadata;
  ip?: string | null;
  userAgent?: string | null;
};

/**
 * Records one of Orgtrail's own events into an organization's log, inside the
 * transaction of the change it records: both commit, or neither does. The event
 * is checked against its action's schema (lib/events/app-event-schemas.ts) like
 * any ingested event; a mismatch throws and so rolls the change back.
 */
export async function recordAppEvent(tx: TransactionSql, organizationId: string, event: AppEvent): Promise<void> {
  const ip = event.ip ? normalizeIp(event.ip) : null;
  const input = internalEventInputSchema.parse({
    action: event.action,
    occurred_at: new Date().toISOString(),
    actor: event.actor,
    targets: event.targets ?? [],
    context: { ...(ip ? { location: ip } : {}), ...(event.userAgent ? { user_agent: event.userAgent.slice(0, 2000) } : {}) },
    metadata: event.metadata ?? {},
  });
  const checked = await checkAgainstSchema(input, "event");
  if (checked.issues.length > 0) {
    throw new Error(`${input.action} does not match its schema: ${checked.issues.map((i) => `${i.path} ${i.message}`).join("; ")}`);
  }
  await appendInTransaction(tx, organizationId, [
    {
      id: uuidv7(),
      action: input.action,
      version: checked.version,
      occurredAt: new Date(input.occurred_at),
      actor: input.actor,
      targets: input.targets,
      ip,
      userAgent: input.context?.user_agent ?? null,
      metadata: input.metadata ?? {},
    },
  ]);
}
