import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { sql } from "@/db/client";
import { describeError } from "@/db/errors";

/**
 * A small PostgreSQL-backed job queue on the app's own driver: jobs are rows,
 * workers claim them with FOR UPDATE SKIP LOCKED under a lease, so any number
 * of app instances (or a separate worker process) share the work, and a job
 * whose worker died is taken again when its lease runs out.
 */

/**
 * A job handler. Returning `{ runAgainAt }` keeps the job: it is released and
 * runs again then, with its attempts reset (a recurring job, like a log
 * stream's delivery); returning nothing finishes it.
 */
export type JobHandler = (
  payload: Record<string, unknown>,
  job: { id: number; attempts: number; heartbeat: () => Promise<void> },
) => Promise<void | { runAgainAt: Date }>;

type QueueOptions = { leaseSeconds?: number };

const DEFAULT_LEASE_SECONDS = 60;
const POLL_MS = 1000;
const handlers = new Map<string, { handle: JobHandler; leaseSeconds: number }>();
const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** A short lease lets another worker take over soon after this one dies; the handler must heartbeat within it. */
export function registerJobHandler(queue: string, handler: JobHandler, options: QueueOptions = {}): void {
  handlers.set(queue, { handle: handler, leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS });
}

/** Adds a job; with a dedupe key, a job that already exists (finished or not) is not added again. */
export async function enqueueJob(queue: string, payload: Record<string, unknown>, options: { dedupeKey?: string; runAt?: Date; maxAttempts?: number } = {}): Promise<number | null> {
  const rows = await sql()<{ id: string }[]>`
    insert into jobs (queue, payload, dedupe_key, run_at, max_attempts)
    values (${queue}, ${sql().json(payload as never)}, ${options.dedupeKey ?? null}, ${(options.runAt ?? new Date()).toISOString()}, ${options.maxAttempts ?? 5})
    on conflict (dedupe_key) do nothing
    returning id`;
  return rows[0] ? Number(rows[0].id) : null;
}

// run_at as PostgreSQL's text, exact to the microsecond (sent back as text: a timestamptz parameter goes through a JS Date, which keeps milliseconds): a wake while the job runs is seen by comparing with it.
type ClaimedJob = { id: string; queue: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; run_at: string };

async function claim(queues: string[], leaseSeconds: number): Promise<ClaimedJob | null> {
  const [job] = await sql()<ClaimedJob[]>`
    update jobs set locked_by = ${workerId}, locked_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
    where id = (
      select id from jobs
      where finished_at is null and queue = any(${queues}) and run_at <= now()
        and (locked_until is null or locked_until < now()) and attempts < max_attempts
      order by run_at
      for update skip locked
      limit 1)
    returning id, queue, payload, attempts, max_attempts, run_at::text`;
  return job ?? null;
}

/** Runs one ready job if there is one; returns whether it found one. */
export async function runNextJob(queues = [...handlers.keys()]): Promise<boolean> {
  if (queues.length === 0) return false;
  const leaseSeconds = Math.max(...queues.map((queue) => handlers.get(queue)?.leaseSeconds ?? DEFAULT_LEASE_SECONDS));
  const job = await claim(queues, leaseSeconds);
  if (!job) return false;
  const id = Number(job.id);
  const handler = handlers.get(job.queue)!;
  const heartbeat = async () => {
    await sql()`update jobs set locked_until = now() + make_interval(secs => ${handler.leaseSeconds}) where id = ${id} and locked_by = ${workerId}`;
  };
  try {
    const outcome = await handler.handle(job.payload, { id, attempts: job.attempts, heartbeat });
    if (outcome) {
      // Woken while it ran (run_at moved past the one it was claimed at): it runs again now, not at its own time.
      await sql()`
        update jobs set run_at = case when run_at > ${job.run_at}::text::timestamptz then least(now(), ${outcome.runAgainAt.toISOString()}::timestamptz) else ${outcome.runAgainAt.toISOString()}::timestamptz end,
          attempts = 0, locked_by = null, locked_until = null, last_error = null
        where id = ${id}`;
    } else {
      await sql()`update jobs set finished_at = now(), locked_by = null, locked_until = null, last_error = null where id = ${id}`;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Back off: 5 s, 20 s, 45 s, … before the next attempt.
    await sql()`update jobs set locked_by = null, locked_until = null, last_error = ${message.slice(0, 2000)},
      run_at = now() + make_interval(secs => ${5 * job.attempts * job.attempts}),
      finished_at = case when attempts >= max_attempts then now() else null end
      where id = ${id}`;
    console.error(`[jobs] ${job.queue} job ${id} failed (attempt ${job.attempts}/${job.max_attempts}): ${describeError(error)}`);
  }
  return true;
}

/**
 * Brings a recurring job forward to run now (it has news to act on). A job
 * that is running when woken runs again as soon as it returns. No-op for a
 * finished job.
 */
export async function wakeJob(dedupeKey: string): Promise<void> {
  await sql()`update jobs set run_at = now() where dedupe_key = ${dedupeKey} and finished_at is null`;
}

const started = new Set<string>();

/**
 * Polls for jobs until the process ends, one loop per call: `queues` picks the
 * queues it takes (all registered ones by default) and `concurrency` how many
 * jobs it runs at once, so a long export never holds back a log stream.
 * Starting the same loop twice is a no-op.
 */
export function startWorker(options: { name?: string; queues?: string[]; concurrency?: number; pollMs?: number } = {}): void {
  const name = options.name ?? "default";
  if (started.has(name)) return;
  started.add(name);
  const queues = () => options.queues ?? [...handlers.keys()];
  const loop = async () => {
    for (;;) {
      let found = false;
      try {
        found = await runNextJob(queues());
      } catch (error) {
        console.error(`[jobs] worker error: ${describeError(error)}`);
      }
      if (!found) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
    }
  };
  for (let slot = 0; slot < (options.concurrency ?? 1); slot++) void loop();
}
