/**
 * Fills DATABASE_URL with a large synthetic audit log for the search benchmark:
 *
 *   npm run bench:seed -- --events 10000000 [--orgs 100] [--largest 5000000] [--days 365] [--reset]
 *
 * Organizations bench-000 … bench-NNN; bench-000 gets `--largest` events (half
 * by default), the others share the rest. Rows go in with COPY (postgres.js
 * `copy … from stdin`), with audit_events' secondary indexes dropped during the
 * load and rebuilt after it, then ANALYZE.
 *
 * Not a valid hash chain: `hash` is random and `prev_hash` empty, so /verify
 * reports these organizations as tampered. Search does not read the chain, and
 * building it would make the load many times slower. `seq` is gapless per
 * organization, in occurred_at order, as the pull feed expects.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import postgres from "postgres";
import { v7 as uuidv7 } from "uuid";
import { BENCH_ORG_PREFIX, benchEvent, random } from "./lib/search-data";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

const total = option("events", 10_000_000);
const orgCount = Math.max(1, option("orgs", 100));
const largest = Math.min(total, option("largest", Math.floor(total / 2)));
const days = option("days", 365);
const reset = process.argv.includes("--reset");
const DAY = 86_400_000;

const url = process.env.DATABASE_URL;
if (!url) throw new Error("Set DATABASE_URL to the database to fill (it must be migrated: run the app or vitest against it once).");
const sql = postgres(url, { max: 2, onnotice: () => {} });

/** COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL. */
function field(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
}

/** A PostgreSQL text[] literal. */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

async function loadOrganization(index: number, count: number, now: number): Promise<void> {
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
  await sql`update organizations set chain_seq = ${count}, last_event_at = ${new Date(now)} where id = ${org!.id}`;
  for (const [action, n] of counts) {
    await sql`insert into action_stats (organization_id, action, event_count, last_seen_at) values (${org!.id}, ${action}, ${n}, ${new Date(now)})`;
  }
  // The hourly counts ingest keeps (lib/events/hourly-counts.ts), written here as COPY bypasses ingest.
  await sql`insert into event_counts_hourly (organization_id, hour, action, event_count)
    select organization_id, date_trunc('hour', occurred_at, 'UTC'), action, count(*) from audit_events where organization_id = ${org!.id} group by 1, 2, 3`;
}

async function main(): Promise<void> {
  const existing = await sql<{ n: string }[]>`select count(*) as n from organizations where slug like ${`${BENCH_ORG_PREFIX}%`}`;
  if (Number(existing[0]!.n) > 0) {
    if (!reset) throw new Error(`bench organizations already exist; pass --reset to replace them`);
    console.log("removing the previous bench organizations…");
    await sql`delete from organizations where slug like ${`${BENCH_ORG_PREFIX}%`}`;
  }
  const indexes = await sql<{ name: string; definition: string }[]>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'audit_events'
      and not exists (select 1 from pg_constraint c where c.conname = indexname)`;
  console.log(`dropping ${indexes.length} secondary indexes for the load`);
  for (const index of indexes) await sql.unsafe(`drop index if exists "${index.name}"`);

  const rest = total - largest;
  const others = orgCount - 1;
  const started = Date.now();
  const now = Date.now();
  try {
    for (let i = 0; i < orgCount; i++) {
      // The others get a falling share of the rest (larger orgs first), at least one event each when there are enough.
      const count = i === 0 ? largest : others ? Math.floor((rest * 2 * (others - i + 1)) / (others * (others + 1))) : 0;
      const t = Date.now();
      await loadOrganization(i, count, now);
      if (count > 0 && (i < 5 || i % 10 === 0)) console.log(`${BENCH_ORG_PREFIX}${String(i).padStart(3, "0")}: ${count.toLocaleString()} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    console.log("rebuilding indexes…");
    for (const index of indexes) {
      const t = Date.now();
      await sql.unsafe(index.definition);
      console.log(`  ${index.name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  }
  await sql`analyze audit_events`;
  console.log(`done: ${total.toLocaleString()} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => sql.end());
