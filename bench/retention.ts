/**
 * npm run bench:retention — retiring an expired month of events: dropping its
 * partition (lib/events/partition-retention.ts) against the row-by-row purge
 * (lib/events/retention.ts, the baseline), on the same data in the same run.
 * Each round fills one old month with BENCH_RETENTION_EVENTS (default 500,000)
 * events over BENCH_RETENTION_ORGS (default 4) organizations with a 30-day
 * retention, with their rollups (the target counts too), then retires them one way and measures wall
 * time, the WAL written, what the month's table still takes on disk, and the
 * longest an append to the first organization would have waited for its
 * chain's row meanwhile (a probe takes the row as an append does, every 50 ms).
 * BENCH_PAIRS (default 1) rounds of each.
 *
 * Database: BENCH_DATABASE_URL, or a fresh one on BENCH_ADMIN_URL's server, dropped after.
 */
import { availableParallelism, loadavg } from "node:os";
import postgres from "postgres";
import { ensureAppEventSchemas } from "../lib/events/app-event-schemas";
import { benchDatabase, table } from "./lib/server";

const EVENTS = Number(process.env.BENCH_RETENTION_EVENTS ?? 500_000);
const ORGS = Number(process.env.BENCH_RETENTION_ORGS ?? 4);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1);
// A month long past, so nothing else in the database writes to it; `now` is a year after it.
const MONTH = new Date("2024-03-01T00:00:00Z");
const NOW = new Date("2025-03-01T00:00:00Z");
const PARTITION = "audit_events_y2024m03";

type Outcome = { seconds: number; walMb: number; leftMb: number; retired: number; longestChainWaitMs: number };

async function main() {
  console.log(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${new Date().toISOString()}`);
  const database = await benchDatabase("retention");
  process.env.DATABASE_URL = database.url;
  // The app's env check (lib/env.ts) asks for one; nothing here signs a session.
  process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-00";
  // Imported once DATABASE_URL is set: the app's pool reads it on first use.
  const { purgeExpiredEvents } = await import("../lib/events/retention");
  const { dropExpiredPartitions } = await import("../lib/events/partition-retention");
  const { closeDb } = await import("../db/client");
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const probeSql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await ensureAppEventSchemas(sql);

    /** A fresh month of events over fresh organizations, rollups and heads as ingest would have left them. */
    async function fill(): Promise<string[]> {
      await sql`select orgtrail_event_partition(${MONTH}::timestamptz)`;
      const orgs: string[] = [];
      const perOrg = Math.floor(EVENTS / ORGS);
      for (let i = 0; i < ORGS; i++) {
        const [org] = await sql<{ id: string }[]>`
          insert into organizations (slug, name, retention_days) values (${`bench-retention-${Date.now()}-${i}`}, ${`Retention ${i}`}, 30) returning id`;
        await sql`
          insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name,
            actor_metadata, targets, target_ids, target_types, ip, user_agent, metadata, search_text, hash, prev_hash)
          select ${org!.id}::uuid, gen_random_uuid(), g, 'user.action_' || (g % 7), 1, t, t, 'user', 'user_' || (g % 500), 'User ' || (g % 500),
            jsonb_build_object('email', 'user' || (g % 500) || '@example.com'),
            jsonb_build_array(jsonb_build_object('type', 'document', 'id', 'doc_' || (g % 2000))), array['doc_' || (g % 2000)], array['document'],
            ('10.0.' || (g % 250) || '.' || (g % 200))::inet, 'Mozilla/5.0', jsonb_build_object('n', g),
            'user.action_' || (g % 7) || ' user_' || (g % 500) || ' doc_' || (g % 2000), md5(g::text), md5((g - 1)::text)
          from generate_series(1, ${perOrg}) g,
            lateral (select ${MONTH}::timestamptz + (g::float8 / ${perOrg}) * interval '27 days' as t) times`;
        await sql`insert into event_chains (organization_id, chain_seq, chain_hash) values (${org!.id}, ${perOrg}, md5(${String(perOrg)}))`;
        orgs.push(org!.id);
      }
      await sql`
        insert into event_counts_hourly (organization_id, hour, action, event_count)
        select organization_id, date_trunc('hour', occurred_at, 'UTC'), action, count(*) from audit_events where organization_id = any(${orgs}::uuid[]) group by 1, 2, 3`;
      await sql`
        insert into event_counts_daily (organization_id, day, action, event_count)
        select organization_id, date_trunc('day', occurred_at, 'UTC'), action, count(*) from audit_events where organization_id = any(${orgs}::uuid[]) group by 1, 2, 3`;
      await sql`
        insert into event_target_counts_hourly (organization_id, target_type, target_id, hour, action, event_count)
        select organization_id, 'document', target_ids[1], date_trunc('hour', occurred_at, 'UTC'), action, count(*) from audit_events
        where organization_id = any(${orgs}::uuid[]) group by 1, 2, 3, 4, 5`;
      await sql`
        insert into action_stats (organization_id, action, event_count, last_seen_at)
        select organization_id, action, count(*), max(occurred_at) from audit_events where organization_id = any(${orgs}::uuid[]) group by 1, 2`;
      await sql`checkpoint`;
      return orgs;
    }

    const walPosition = async () => (await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`)[0]!.lsn;
    const walMb = async (from: string) => Number((await sql<{ bytes: string }[]>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn) as bytes`)[0]!.bytes) / 1_048_576;
    const leftMb = async () => Number((await sql<{ bytes: string | null }[]>`select pg_total_relation_size(to_regclass(${PARTITION})) as bytes`)[0]!.bytes ?? 0) / 1_048_576;
    const checkpoints = async (orgs: string[]) =>
      (await sql<{ n: string }[]>`select coalesce(sum(checkpoint_seq), 0) as n from event_chains where organization_id = any(${orgs}::uuid[])`)[0]!.n;

    async function measure(retire: (orgs: string[]) => Promise<unknown>): Promise<Outcome> {
      const orgs = await fill();
      const wal = await walPosition();
      const started = performance.now();
      let retiring = true;
      // What an append to the first organization would wait meanwhile: its chain's row, taken as an append takes it, every 50 ms.
      const probe = (async () => {
        let longest = 0;
        while (retiring) {
          const asked = performance.now();
          await probeSql.begin((tx) => tx`select 1 from event_chains where organization_id = ${orgs[0]!} for no key update`);
          longest = Math.max(longest, performance.now() - asked);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return longest;
      })();
      await retire(orgs);
      const seconds = (performance.now() - started) / 1000;
      retiring = false;
      const longestChainWaitMs = await probe;
      const outcome = { seconds, walMb: await walMb(wal), leftMb: await leftMb(), retired: Number(await checkpoints(orgs)), longestChainWaitMs };
      // What the row-by-row purge leaves (an empty month) goes before the next round.
      await dropExpiredPartitions({ now: NOW });
      await sql`delete from organizations where id = any(${orgs}::uuid[])`;
      return outcome;
    }

    const rows: Record<string, string | number>[] = [];
    const ratios: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const byRow = await measure(async (orgs) => {
        for (const id of orgs) await purgeExpiredEvents(id, { now: NOW });
      });
      const byDrop = await measure(() => dropExpiredPartitions({ now: NOW }));
      for (const [name, o] of [["row-by-row purge (baseline)", byRow], ["partition drop", byDrop]] as const) {
        rows.push({ round: pair + 1, method: name, events: o.retired, seconds: o.seconds.toFixed(2), "WAL MB": o.walMb.toFixed(1), "month left on disk MB": o.leftMb.toFixed(1), "longest chain wait ms": o.longestChainWaitMs.toFixed(0) });
      }
      if (byRow.retired !== byDrop.retired) throw new Error(`the two ways retired ${byRow.retired} and ${byDrop.retired} events`);
      ratios.push(byRow.seconds / byDrop.seconds);
    }
    table(rows);
    console.log(`partition drop is ${ratios.map((r) => r.toFixed(1)).join("x, ")}x faster than the row-by-row purge (${EVENTS.toLocaleString()} events, ${ORGS} organizations)`);
  } finally {
    await sql.end();
    await probeSql.end();
    await closeDb();
    await database.release();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
