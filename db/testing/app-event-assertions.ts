import { sql } from "@/db/client";
import type { EventEntity } from "@/lib/events/types";

export type StoredAppEvent = { action: string; actor: EventEntity; targets: EventEntity[]; metadata: Record<string, unknown>; ip: string | null; user_agent: string | null; version: number };

/** The events of one action in an organization's log, oldest first (tests read the table directly). */
export async function eventsOf(organizationId: string, action: string): Promise<StoredAppEvent[]> {
  const rows = await sql()<{ action: string; actor_type: string; actor_id: string; actor_name: string | null; actor_metadata: Record<string, string> | null; targets: EventEntity[]; metadata: Record<string, unknown>; ip: string | null; user_agent: string | null; version: number }[]>`
    select action, actor_type, actor_id, actor_name, actor_metadata, targets, metadata, host(ip) as ip, user_agent, version
    from audit_events where organization_id = ${organizationId} and action = ${action} order by seq`;
  return rows.map((r) => ({
    action: r.action,
    actor: { type: r.actor_type, id: r.actor_id, ...(r.actor_name ? { name: r.actor_name } : {}), ...(r.actor_metadata ? { metadata: r.actor_metadata } : {}) },
    targets: r.targets,
    metadata: r.metadata,
    ip: r.ip,
    user_agent: r.user_agent,
    version: r.version,
  }));
}

export async function countEvents(organizationId: string): Promise<number> {
  const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId}`;
  return Number(n);
}

let triggerCount = 0;

/**
 * Runs `fn` while a trigger makes writes to `table` for one organization fail,
 * the way a real constraint or database error would, then removes it.
 * `operation` is e.g. "insert", "update", "delete" or "update of retention_days".
 */
export async function withFailingWrites<T>(table: string, operation: string, organizationId: string, fn: () => Promise<T>): Promise<T> {
  const name = `test_fail_${++triggerCount}_${process.pid}`;
  const row = operation.startsWith("insert") ? "new" : "old";
  const column = table === "organizations" ? "id" : "organization_id";
  await sql().unsafe(`create or replace function orgtrail_test_fail() returns trigger language plpgsql as $$ begin raise exception 'forced failure for a test'; end $$`);
  await sql().unsafe(`create trigger ${name} before ${operation} on ${table} for each row when (${row}.${column} = '${organizationId.replace(/[^0-9a-f-]/g, "")}') execute function orgtrail_test_fail()`);
  try {
    return await fn();
  } finally {
    await sql().unsafe(`drop trigger ${name} on ${table}`);
  }
}

export const TEST_CONTEXT = { ip: "203.0.113.9", userAgent: "vitest-settings" };
