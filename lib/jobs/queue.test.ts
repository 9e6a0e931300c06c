import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { enqueueJob, registerJobHandler, runNextJob, wakeJob } from "./queue";

describe("job queue", () => {
  it("runs a job once and records it finished", async () => {
    const queue = `q-${randomUUID()}`;
    const seen: unknown[] = [];
    registerJobHandler(queue, async (payload) => {
      seen.push(payload);
    });
    const id = await enqueueJob(queue, { n: 1 });
    expect(await runNextJob([queue])).toBe(true);
    expect(await runNextJob([queue])).toBe(false);
    expect(seen).toEqual([{ n: 1 }]);
    const [job] = await sql()<{ finished_at: Date | null }[]>`select finished_at from jobs where id = ${id!}`;
    expect(job!.finished_at).not.toBeNull();
  });

  it("adds a job with the same dedupe key only once", async () => {
    const queue = `q-${randomUUID()}`;
    const key = `dedupe-${randomUUID()}`;
    expect(await enqueueJob(queue, {}, { dedupeKey: key })).not.toBeNull();
    expect(await enqueueJob(queue, {}, { dedupeKey: key })).toBeNull();
  });

  it("retries a failed job later and gives up after max attempts", async () => {
    const queue = `q-${randomUUID()}`;
    let calls = 0;
    registerJobHandler(queue, async () => {
      calls += 1;
      throw new Error("boom");
    });
    const id = await enqueueJob(queue, {}, { maxAttempts: 2 });
    await runNextJob([queue]);
    expect(await runNextJob([queue])).toBe(false);
    await sql()`update jobs set run_at = now() where id = ${id!}`;
    await runNextJob([queue]);
    const [job] = await sql()<{ attempts: number; finished_at: Date | null; last_error: string }[]>`select attempts, finished_at, last_error from jobs where id = ${id!}`;
    expect(calls).toBe(2);
    expect(job).toMatchObject({ attempts: 2, last_error: "boom" });
    expect(job!.finished_at).not.toBeNull();
  });

  it("takes a job again when its worker's lease ran out", async () => {
    const queue = `q-${randomUUID()}`;
    const id = await enqueueJob(queue, {});
    await sql()`update jobs set locked_by = 'dead-worker', locked_until = now() - interval '1 second', attempts = 1 where id = ${id!}`;
    let ran = false;
    registerJobHandler(queue, async () => {
      ran = true;
    });
    expect(await runNextJob([queue])).toBe(true);
    expect(ran).toBe(true);
  });

  it("keeps a recurring job, runs it again when asked, and wakes it early", async () => {
    const queue = `q-${randomUUID()}`;
    const key = `recurring-${randomUUID()}`;
    let runs = 0;
    registerJobHandler(queue, async () => {
      runs += 1;
      return runs < 3 ? { runAgainAt: new Date(Date.now() + 3_600_000) } : undefined;
    }, { leaseSeconds: 5 });
    const id = await enqueueJob(queue, {}, { dedupeKey: key, maxAttempts: 1 });
    expect(await runNextJob([queue])).toBe(true);
    const [waiting] = await sql()<{ attempts: number; finished_at: Date | null; run_at: Date }[]>`select attempts, finished_at, run_at from jobs where id = ${id!}`;
    expect(waiting).toMatchObject({ attempts: 0, finished_at: null });
    expect(waiting!.run_at.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await runNextJob([queue])).toBe(false);
    await wakeJob(key);
    expect(await runNextJob([queue])).toBe(true);
    await wakeJob(key);
    expect(await runNextJob([queue])).toBe(true);
    const [done] = await sql()<{ finished_at: Date | null }[]>`select finished_at from jobs where id = ${id!}`;
    expect(runs).toBe(3);
    expect(done!.finished_at).not.toBeNull();
    await wakeJob(key);
    expect(await runNextJob([queue])).toBe(false);
  });

  it("holds a job under the lease its queue asked for", async () => {
    const queue = `q-${randomUUID()}`;
    let lockedFor = 0;
    const id = await enqueueJob(queue, {});
    registerJobHandler(queue, async () => {
      const [row] = await sql()<{ seconds: number }[]>`select extract(epoch from locked_until - now())::float as seconds from jobs where id = ${id!}`;
      lockedFor = row!.seconds;
    }, { leaseSeconds: 7 });
    await runNextJob([queue]);
    expect(lockedFor).toBeGreaterThan(5);
    expect(lockedFor).toBeLessThanOrEqual(7);
  });

  it("runs a recurring job again at once when it was woken while it ran", async () => {
    const queue = `q-${randomUUID()}`;
    const key = `woken-${randomUUID()}`;
    let runs = 0;
    registerJobHandler(queue, async () => {
      runs += 1;
      if (runs === 1) await wakeJob(key);
      return { runAgainAt: new Date(Date.now() + 3_600_000) };
    });
    await enqueueJob(queue, {}, { dedupeKey: key });
    expect(await runNextJob([queue])).toBe(true);
    expect(await runNextJob([queue])).toBe(true);
    expect(runs).toBe(2);
    expect(await runNextJob([queue])).toBe(false);
  });
});
