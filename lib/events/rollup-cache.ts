import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";

/*
 * Rollup reads of whole hours and days are the same for every whole-log viewer
 * of an organization who opens the same range within the hour, so the result
 * of one is shared: while it runs (always, which is exact: the same statement
 * at the same time) and for ORGTRAIL_ROLLUP_CACHE_MS after (0: never). Keys
 * are per organization and statement, and only whole-log reads (rollupFilter)
 * come here: a member's counts are never cached. An append or purge in this
 * process drops its organization's entries; one in another process shows after
 * at most the TTL.
 */

type Entry = { at: number; generation: number; value: Promise<Map<string, number>> };

const dialect = new PgDialect();

/** A statement's text and parameters as one string: the key two identical reads share. */
export function statementKey(statement: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return `${text} ${JSON.stringify(params)}`;
}

/** A bound on the entries held: an hour's views of many organizations fit, a flood of ranges does not grow the heap. */
const MAX_ENTRIES = 2000;

const entries = new Map<string, Entry>();
const generations = new Map<string, number>();

/** The organization's rollup rows changed (append, purge): later reads read again. */
export function rollupsChanged(organizationId: string): void {
  generations.set(organizationId, (generations.get(organizationId) ?? 0) + 1);
}

/** The result of `read` for this organization and statement key, shared while it runs and for the TTL after. */
export function sharedRollupRead(organizationId: string, statement: string, read: () => Promise<Map<string, number>>): Promise<Map<string, number>> {
  const key = `${organizationId} ${statement}`;
  const generation = generations.get(organizationId) ?? 0;
  const now = Date.now();
  const held = entries.get(key);
  if (held && held.generation === generation && (held.at === 0 || now - held.at < env().ORGTRAIL_ROLLUP_CACHE_MS)) return held.value;
  const entry: Entry = { at: 0, generation, value: read() };
  entries.delete(key);
  entries.set(key, entry);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entry.value.then(
    () => {
      entry.at = Date.now();
      if (env().ORGTRAIL_ROLLUP_CACHE_MS === 0 && entries.get(key) === entry) entries.delete(key);
    },
    () => {
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  return entry.value;
}

const running = new Map<string, Promise<unknown>>();

/**
 * One read for identical statements in flight at the same moment (the facets
 * and total of one view ask for the same edge-hour counts): exact, as both
 * would read the same rows; nothing is kept once it has answered. The key is
 * the full statement, scope conditions included.
 */
export function sharedWhileRunning<T>(statement: string, read: () => Promise<T>): Promise<T> {
  const held = running.get(statement);
  if (held) return held as Promise<T>;
  const value = read().finally(() => running.delete(statement));
  running.set(statement, value);
  return value;
}
