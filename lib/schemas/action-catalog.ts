import "server-only";
import { sql } from "@/db/client";
import type { SchemaDisplay } from "@/db/schema";

/**
 * The console's overview of actions. Counts come from action_stats (kept at
 * ingest), summed over organizations: nothing here reads audit_events.
 */
export type ActionSummary = {
  action: string;
  versions: number[];
  display: SchemaDisplay;
  eventCount: number;
  lastSeenAt: string | null;
  builtIn: boolean;
};

export type UnschemaedAction = {
  action: string;
  eventCount: number;
  organizations: number;
  lastSeenAt: string | null;
  sample: { action: string; actor?: Record<string, unknown>; targets?: Record<string, unknown>[]; metadata?: Record<string, unknown> } | null;
};

export async function actionSummaries(): Promise<ActionSummary[]> {
  const rows = await sql()<{ action: string; versions: number[]; display: SchemaDisplay; event_count: string | null; last_seen_at: Date | null }[]>`
    with versions as (
      select action, array_agg(version order by version) as versions,
        (array_agg(display order by version desc))[1] as display
      from event_schemas group by action
    ), stats as (
      select action, sum(event_count) as event_count, max(last_seen_at) as last_seen_at
      from action_stats group by action
    )
    select v.action, v.versions, v.display, s.event_count, s.last_seen_at
    from versions v left join stats s using (action)
    order by v.action`;
  return rows.map((r) => ({
    action: r.action,
    versions: r.versions,
    display: r.display,
    eventCount: Number(r.event_count ?? 0),
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    builtIn: r.action.startsWith("orgtrail."),
  }));
}

export async function actionStats(action: string): Promise<{ eventCount: number; lastSeenAt: string | null; organizations: number }> {
  const [row] = await sql()<{ event_count: string | null; last_seen_at: Date | null; organizations: string }[]>`
    select sum(event_count) as event_count, max(last_seen_at) as last_seen_at, count(*) as organizations
    from action_stats where action = ${action}`;
  return { eventCount: Number(row?.event_count ?? 0), lastSeenAt: row?.last_seen_at?.toISOString() ?? null, organizations: Number(row?.organizations ?? 0) };
}

/** Actions seen at ingest that have no schema, with the latest sample event (no ids, no context) to start one from. */
export async function unschemaedActions(): Promise<UnschemaedAction[]> {
  const rows = await sql()<{ action: string; event_count: string; organizations: string; last_seen_at: Date | null; sample: UnschemaedAction["sample"] }[]>`
    select s.action, sum(s.event_count) as event_count, count(*) as organizations, max(s.last_seen_at) as last_seen_at,
      (array_agg(s.sample order by s.last_seen_at desc nulls last))[1] as sample
    from action_stats s
    where not exists (select 1 from event_schemas e where e.action = s.action)
    group by s.action
    order by max(s.last_seen_at) desc nulls last
    limit 200`;
  return rows.map((r) => ({
    action: r.action,
    eventCount: Number(r.event_count),
    organizations: Number(r.organizations),
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    sample: r.sample,
  }));
}
