/**
 * npm run bench:notify — what live mode's NOTIFY costs ingest. Every append
 * notifies `orgtrail_events_appended` in its transaction (lib/events/append.ts),
 * and PostgreSQL orders notifying commits with one database-wide lock, held
 * through the commit's WAL flush. This measures commits/s of an append-shaped
 * transaction (move an organization's head row, insert an event row) from
 * BENCH_NOTIFY_WRITERS (default 16) connections over BENCH_NOTIFY_ORGS (default
 * 16) organizations, each writer its own, for BENCH_NOTIFY_SECONDS (default 10),
 * without NOTIFY (the baseline) and with it, alternating BENCH_PAIRS (3) times.
 *
 * Database: BENCH_DATABASE_URL, or a fresh one on BENCH_ADMIN_URL's server, dropped after.
 */
import { availableParallelism, loadavg } from "node:os";
import postgres from "postgres";
import { benchDatabase, percentile } from "./lib/server";

const WRITERS = Number(process.env.BENCH_NOTIFY_WRITERS ?? 16);
const ORGS = Number(process.env.BENCH_NOTIFY_ORGS ?? 16);
const SECONDS = Number(process.env.BENCH_NOTIFY_SECONDS ?? 10);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

async function main() {
  console.log(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${new Date().toISOString()}`);
  const database = await benchDatabase("notify");
  const sql = postgres(database.url, { max: WRITERS + 2, onnotice: () => {} });
  await sql`create table bench_heads (id int primary key, seq bigint not null)`;
  await sql`create table bench_events (org int not null, seq bigint not null, body text not null, primary key (org, seq))`;
  await sql`insert into bench_heads select g, 0 from generate_series(1, ${ORGS}) g`;
  // A listener, as every app process has one: notifications are queued for it.
  const listener = await sql.listen("orgtrail_events_appended", () => {});

  type Mode = "none" | "in commit" | "announced";
  async function run(mode: Mode): Promise<{ commits: number; perSecond: number; p50: number; p99: number }> {
    const until = performance.now() + SECONDS * 1000;
    const times: number[] = [];
    const heads = new Map<number, string>();
    const announcer =
      mode === "announced"
        ? setInterval(() => {
            const payload = [...heads].map(([org, seq]) => `${org}:${seq}`).join(",");
            heads.clear();
            if (payload) void sql`select pg_notify('orgtrail_events_appended', ${payload})`;
          }, 50)
        : null;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const org = (w % ORGS) + 1;
        while (performance.now() < until) {
          const t = performance.now();
          await sql.begin(async (tx) => {
            const [head] = await tx<{ seq: string }[]>`update bench_heads set seq = seq + 1 where id = ${org} returning seq`;
            const writes = [tx`insert into bench_events values (${org}, ${head!.seq}, ${"x".repeat(300)})`];
            if (mode === "in commit") writes.push(tx`select pg_notify('orgtrail_events_appended', ${`${org}:${head!.seq}`})`);
            await Promise.all(writes);
            if (mode === "announced") heads.set(org, head!.seq);
          });
          times.push(performance.now() - t);
        }
      }),
    );
    if (announcer) clearInterval(announcer);
    times.sort((a, b) => a - b);
    return { commits: times.length, perSecond: times.length / SECONDS, p50: percentile(times, 50), p99: percentile(times, 99) };
  }

  const ratios = { "in commit": [] as number[], announced: [] as number[] };
  const line = (name: string, r: Awaited<ReturnType<typeof run>>) => `${name} ${r.perSecond.toFixed(0)} commits/s (p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms)`;
  for (let pair = 1; pair <= PAIRS; pair++) {
    const none = await run("none");
    const inCommit = await run("in commit");
    const announced = await run("announced");
    ratios["in commit"].push(inCommit.perSecond / none.perSecond);
    ratios.announced.push(announced.perSecond / none.perSecond);
    console.log(`round ${pair}: ${line("none", none)}; ${line("in commit", inCommit)}; ${line("announced", announced)}`);
  }
  const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50).toFixed(2);
  console.log(`${WRITERS} writers over ${ORGS} organizations, commits/s ÷ none, median of ${PAIRS}: in commit ${median(ratios["in commit"])}x, announced ${median(ratios.announced)}x`);
  await listener.unlisten();
  await sql.end();
  await database.release();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
