/**
 * A large synthetic audit log for the search benchmark, loaded with COPY:
 * organizations bench-000 … bench-NNN; bench-000 gets `largest` events, the
 * others a falling share of the rest (larger first). audit_events' secondary
 * indexes are dropped during the load and rebuilt after it, then VACUUM
 * ANALYZE (so index-only scans see an all-visible table, as autovacuum leaves
 * a settled one).
 *
 * Not a valid hash chain: `hash` is random and `prev_hash` empty, so /verify
 * reports these organizations as tampered. Search does not read the chain, and
 * building it would make the load many times slower. `seq` is gapless per
 * organization, in occurred_at order, as the pull feed expects. action_stats
 * and the rollups (event_counts_hourly, event_counts_daily, event_target_counts_hourly) are filled as ingest would have kept them.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import postgres from "postgres";
import { v7 as uuidv7 } from "uuid";
import { targetCountsUpTo } from "../../lib/events/store/event-partitions";
import { BENCH_ORG_PREFIX, benchEvent, random } from "./search-data";

export type SeedOptions = {
  /** Events over all organizations. */
  events: number;
  orgs: number;
  /** Events of bench-000 (default half). */
  largest?: number;
  /** How far back the events go. */
  days?: number;
  /** Replace bench organizations that already exist (else refuse). */
  reset?: boolean;
  log?: (line: string) => void;
};

const DAY = 86_400_000;

/** COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL. */
function field(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
}

/** A PostgreSQL text[] literal. */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

async function loadOrganization(sql: postgres.Sql, index: number, count: number, now: number, days: number): Promise<void> {
  const slug = `${BENCH_ORG_PREFIX}${String(index).padStart(3, "0")}`;
  const [org] = await sql<{ id: string }[]>`insert into organizations (slug, name) values (${slug}, ${`Bench ${index}`}) returning id`;
  const rand = random(index + 1);
  const actors = Math.max(50, Math.min(20_000, Math.floor(count / 250)));
  // Occurred times, oldest first, denser towards now (as logs grow), so seq follows time.
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = now - Math.floor(Math.pow(rand(), 1.6) * days * DAY);
  times.sort().reverse();
  const stream = await sql`copy audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name, actor_metadata, targets, target_ids, target_types, ip, user_agent, metadata, search_text, hash, prev_hash) from stdin`.writable();
  const counts = new Map<string, number>();
  let buffer = "";
  for (let i = 0; i < count; i++) {
    const at = new Date(times[count - 1 - i]!);
    const e = benchEvent(rand, i, actors);
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
    const search = [e.action, e.actor.id, e.actor.name, e.actor.metadata.email, ...e.targets.flatMap((t) => [t.type, t.id, t.name]), ...Object.values(e.metadata).map(String)].join("\n").toLowerCase();
    buffer +=
      [
        org!.id,
        uuidv7({ msecs: at.getTime() }),
        i + 1,
        e.action,
        1,
        at.toISOString(),
        at.toISOString(),
        e.actor.type,
        e.actor.id,
        e.actor.name,
        JSON.stringify(e.actor.metadata),
        JSON.stringify(e.targets),
        textArray(e.targets.map((t) => t.id)),
        textArray(e.targets.map((t) => t.type)),
        e.ip,
        e.userAgent,
        JSON.stringify(e.metadata),
        search,
        randomUUID().replace(/-/g, ""),
        "",
      ]
        .map(field)
        .join("\t") + "\n";
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, "drain");
      buffer = "";
    }
  }
  stream.end(buffer);
  await once(stream, "finish");
  await sql`insert into event_chains (organization_id, chain_seq, last_event_at) values (${org!.id}, ${count}, ${new Date(now)})`;
  for (const [action, n] of counts) {
    await sql`insert into action_stats (organization_id, action, event_count, last_seen_at) values (${org!.id}, ${action}, ${n}, ${new Date(now)})`;
  }
  // The rollups ingest keeps (lib/events/hourly-counts.ts), written here as COPY bypasses ingest.
  await sql`insert into event_counts_hourly (organization_id, hour, action, event_count)
    select organization_id, date_trunc('hour', occurred_at, 'UTC'), action, count(*) from audit_events where organization_id = ${org!.id} group by 1, 2, 3`;
  await sql`insert into event_counts_daily (organization_id, day, action, event_count)
    select organization_id, date_trunc('day', hour, 'UTC'), action, sum(event_count) from event_counts_hourly where organization_id = ${org!.id} group by 1, 2, 3`;
  // The app's own statement for events per target, hour and action (an event naming a target twice counts once).
  await sql`insert into event_target_counts_hourly (organization_id, target_type, target_id, hour, action, event_count)
    select * from (${targetCountsUpTo(sql, [{ organizationId: org!.id, afterSeq: 0, throughSeq: count }])}) as counted`;
}

/** Fills a migrated database with the bench organizations. */
export async function seedBenchOrganizations(url: string, options: SeedOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const total = options.events;
  const orgCount = Math.max(1, options.orgs);
  const largest = Math.min(total, options.largest ?? Math.floor(total / 2));
  const days = options.days ?? 365;
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const [existing] = await sql<{ n: string }[]>`select count(*) as n from organizations where slug like ${`${BENCH_ORG_PREFIX}%`}`;
    if (Number(existing!.n) > 0) {
      if (!options.reset) throw new Error(`bench organizations already exist; pass --reset to replace them`);
      log("removing the previous bench organizations…");
      await sql`delete from organizations where slug like ${`${BENCH_ORG_PREFIX}%`}`;
    }
    const indexes = await sql<{ name: string; definition: string }[]>`
      select indexname as name, indexdef as definition from pg_indexes
      where schemaname = current_schema() and tablename = 'audit_events'
        and not exists (select 1 from pg_constraint c where c.conname = indexname)`;
    log(`dropping ${indexes.length} secondary indexes for the load`);
    for (const index of indexes) await sql.unsafe(`drop index if exists "${index.name}"`);

    // Every month the events span, so COPY fills month partitions, not the DEFAULT one.
    await sql`select orgtrail_event_partition(m) from generate_series(date_trunc('month', ${new Date(Date.now() - days * DAY)}::timestamptz, 'UTC'), now(), interval '1 month') m`;
    const rest = total - largest;
    const others = orgCount - 1;
    const started = Date.now();
    const now = Date.now();
    try {
      for (let i = 0; i < orgCount; i++) {
        // The others get a falling share of the rest (larger orgs first), at least one event each when there are enough.
        const count = i === 0 ? largest : others ? Math.floor((rest * 2 * (others - i + 1)) / (others * (others + 1))) : 0;
        const t = Date.now();
        await loadOrganization(sql, i, count, now, days);
        if (count > 0 && (i < 5 || i % 10 === 0)) log(`${BENCH_ORG_PREFIX}${String(i).padStart(3, "0")}: ${count.toLocaleString()} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    } finally {
      log("rebuilding indexes…");
      for (const index of indexes) {
        const t = Date.now();
        // A partitioned table's definition reads ON ONLY, which would make the index on the parent alone.
        await sql.unsafe(index.definition.replace(" ON ONLY ", " ON "));
        log(`  ${index.name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    }
    // The indexes were made on the parent, so each month's expression columns get the app's wider statistics here.
    await sql`select orgtrail_event_index_statistics(inhrelid::regclass::text) from pg_inherits where inhparent = 'audit_events'::regclass`;
    await sql`vacuum (analyze) audit_events, event_counts_hourly, event_counts_daily, event_target_counts_hourly, action_stats`;
    log(`done: ${total.toLocaleString()} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await sql.end();
  }
}
