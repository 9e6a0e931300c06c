import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";

/** Resolves once `count` sessions of this database wait on a lock; fails after 15 s. */
async function untilSessionsWait(count: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 15_000; ) {
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    if (Number(n) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${count} sessions never waited on a lock`);
}

/**
 * Makes a race deterministic: holds `lock` (row or advisory locks) in a
 * transaction, starts `contenders`, and releases only once all of them are
 * blocked (on that lock or on each other), so they truly overlap.
 */
export async function race<T>(lock: (tx: TransactionSql) => Promise<unknown>, contenders: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const holder = sql().begin(async (tx) => {
    await lock(tx);
    held();
    await released;
  });
  await locked;
  const results = Promise.allSettled(contenders.map((start) => start()));
  try {
    await untilSessionsWait(contenders.length);
  } finally {
    release();
    await holder;
  }
  return results;
}
