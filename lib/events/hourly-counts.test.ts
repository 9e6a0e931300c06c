import { beforeAll, describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { seededRandom } from "@/scripts/seeded-random";
import { sql as drizzleSql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { appendInTransaction } from "./append";
import { rollupStatement } from "./hourly-counts";
import { rollupsChanged } from "./rollup-cache";
import { actionFacets, estimateTotal, histogram } from "./facets";
import { purgeExpiredEvents, setRetentionDays } from "./retention";
import type { EventFilter } from "./search";
import type { PreparedEvent } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACTIONS = ["user.signed_in", "user.signed_out", "document.shared", "document.deleted", "billing.paid"];

// Fixed instants: counts must not depend on when the suite runs, only on the data.
const now = new Date("2026-11-20T10:23:17.250Z");

let org: { id: string; slug: string };
let owner: Scope;
let member: Scope;

function prepared(occurredAt: Date, action: string, actorId: string, receivedAt = occurredAt): PreparedEvent {
  return { id: uuidv7(), action, version: 1, occurredAt, receivedAt, actor: { type: "user", id: actorId }, targets: [], ip: null, userAgent: null, metadata: {} };
}

/** The counts from audit_events itself, the way the hourly counts must agree with. */
async function exactCount(filter: { from?: Date; to?: Date; actions?: string[] }): Promise<number> {
  const [row] = await sql()<{ n: string }[]>`
    select count(*) as n from audit_events where organization_id = ${org.id}
      and (${filter.from ?? null}::timestamptz is null or occurred_at >= ${filter.from ?? null})
      and (${filter.to ?? null}::timestamptz is null or occurred_at < ${filter.to ?? null})
      and (${filter.actions ?? null}::text[] is null or action = any(${filter.actions ?? null}))`;
  return Number(row!.n);
}

beforeAll(async () => {
  org = await createOrg("hourly");
  const rand = seededRandom(7);
  // 90 days of events at random instants (not on hour edges), a few in the future (clock skew), in several appends,
  // each received up to 10 days after it occurred (never past now, nor more than ingest's 5 minutes before it occurred).
  const events = Array.from({ length: 3000 }, () => {
    const at = new Date(now.getTime() - Math.floor(rand() * 90 * DAY) + (rand() < 0.01 ? 3 * 60_000 : 0));
    const receivedAt = new Date(Math.min(at.getTime() + Math.floor(rand() * 10 * DAY), now.getTime()));
    return prepared(at, ACTIONS[Math.floor(rand() * ACTIONS.length)]!, rand() < 0.1 ? "u_member" : `u_${Math.floor(rand() * 20)}`, receivedAt);
  });
  events.sort((a, b) => a.receivedAt!.getTime() - b.receivedAt!.getTime());
  for (let i = 0; i < events.length; i += 700) await sql().begin((tx) => appendInTransaction(tx, org.id, events.slice(i, i + 700)));
  owner = await resolveOrgScope(await createUser(org.id, "owner"), org.id);
  member = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.id);
});

const FILTERS: [string, EventFilter, string[] | undefined][] = [
  ["the default 30 days", { from: new Date(now.getTime() - 30 * DAY) }, undefined],
  ["all time", {}, undefined],
  ["a range off the hour edges", { from: new Date("2026-10-03T07:41:09.123Z"), to: new Date("2026-11-01T13:05:00Z") }, undefined],
  ["within one hour", { from: new Date("2026-11-10T07:10:00Z"), to: new Date("2026-11-10T07:50:00Z") }, undefined],
  ["one action", { q: "action:user.signed_in", from: new Date(now.getTime() - 30 * DAY) }, ["user.signed_in"]],
  ["an action prefix", { q: "action:document.*", from: new Date("2026-09-01T00:30:00Z"), to: new Date("2026-11-15T00:00:00Z") }, ["document.shared", "document.deleted"]],
  ["two actions", { q: "action:billing.paid action:user.signed_out" }, ["billing.paid", "user.signed_out"]],
  ["200 days (weekly buckets, from the daily counts)", { from: new Date(now.getTime() - 200 * DAY) }, undefined],
  ["an action prefix over 400 days, off the day edges", { q: "action:user.*", from: new Date("2025-10-17T05:12:00Z"), to: new Date("2026-11-17T19:59:59.999Z") }, ["user.signed_in", "user.signed_out"]],
];

describe("rollups (hourly and daily counts)", () => {
  it.each(FILTERS)("totals and histograms from the hourly counts equal counting the events: %s", async (_, filter, actions) => {
    const expected = await exactCount({ from: filter.from, to: filter.to, actions });
    expect(await estimateTotal(owner, filter, now)).toEqual({ count: expected, exact: true, method: "count" });
    const hist = await histogram(owner, filter, now);
    expect(hist.total).toBe(expected);
    expect(hist.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(expected);
  });

  it.each(FILTERS)("action facets from the hourly counts are exact, not sampled: %s", async (_, filter) => {
    const facets = await actionFacets(owner, filter, now);
    expect(facets.sampled).toBe(false);
    for (const action of ACTIONS) {
      expect(facets.actions.find((a) => a.action === action)?.count ?? 0, action).toBe(await exactCount({ from: filter.from, to: filter.to, actions: [action] }));
    }
  });

  it("each histogram bucket holds exactly the events of its interval", async () => {
    const filter = { from: new Date(now.getTime() - 30 * DAY), to: now };
    const hist = await histogram(owner, filter, now);
    expect(hist.bucket_seconds % 3600).toBe(0);
    for (const bucket of hist.buckets.slice(1, -1)) {
      const start = new Date(bucket.start);
      expect(bucket.count, bucket.start).toBe(await exactCount({ from: start, to: new Date(start.getTime() + hist.bucket_seconds * 1000) }));
    }
  });

  it("serves whole days from event_counts_daily and the other whole hours from event_counts_hourly", async () => {
    // 2026-10-21T10:23 to now: whole days from 2026-10-22, whole hours 2026-10-21T11:00 to midnight and 2026-11-20T00:00 to 10:00.
    const filter = { from: new Date(now.getTime() - 30 * DAY), to: now };
    const before = (await estimateTotal(owner, filter, now)).count;
    const [day] = await sql()<{ day: Date; action: string }[]>`
      select day, action from event_counts_daily where organization_id = ${org.id} and day >= ${new Date(now.getTime() - 20 * DAY)} and day < ${new Date(now.getTime() - 10 * DAY)} limit 1`;
    const [hour] = await sql()<{ hour: Date; action: string }[]>`
      select hour, action from event_counts_hourly where organization_id = ${org.id} and hour >= '2026-10-21T11:00Z' and hour < '2026-10-22T00:00Z' limit 1`;
    // An hour inside the whole days is not read: its day's row stands for it.
    const [inner] = await sql()<{ hour: Date; action: string }[]>`
      select hour, action from event_counts_hourly where organization_id = ${org.id} and hour >= '2026-11-01T00:00Z' and hour < '2026-11-02T00:00Z' limit 1`;
    const bump = async (by: number) => {
      await sql()`update event_counts_daily set event_count = event_count + ${by} where organization_id = ${org.id} and day = ${day!.day} and action = ${day!.action}`;
      await sql()`update event_counts_hourly set event_count = event_count + ${by} where organization_id = ${org.id} and hour = ${hour!.hour} and action = ${hour!.action}`;
      await sql()`update event_counts_hourly set event_count = event_count + ${by * 1000} where organization_id = ${org.id} and hour = ${inner!.hour} and action = ${inner!.action}`;
      rollupsChanged(org.id);
    };
    await bump(1000);
    try {
      expect((await estimateTotal(owner, filter, now)).count).toBe(before + 2000);
    } finally {
      await bump(-1000);
    }
    expect((await estimateTotal(owner, filter, now)).count).toBe(before);
  });

  it("an open range's current hour comes from event_counts_hourly, read afresh; a range ending inside the hour counts that hour's events", async () => {
    const open = { from: new Date(now.getTime() - 30 * DAY) };
    const closed = { from: open.from, to: now };
    const [current] = await sql()<{ hour: Date; action: string }[]>`
      select hour, action from event_counts_hourly where organization_id = ${org.id} and hour = ${new Date(Math.floor(now.getTime() / HOUR) * HOUR)} limit 1`;
    expect(current, "the fixture has events in now's hour").toBeDefined();
    const before = { open: (await estimateTotal(owner, open, now)).count, closed: (await estimateTotal(owner, closed, now)).count };
    expect(before.open).toBe(await exactCount(open));
    // No rollupsChanged: the current hour is not taken from the shared read, so a changed row shows without it.
    const bump = (by: number) => sql()`update event_counts_hourly set event_count = event_count + ${by} where organization_id = ${org.id} and hour = ${current!.hour} and action = ${current!.action}`;
    await bump(1000);
    try {
      expect((await estimateTotal(owner, open, now)).count).toBe(before.open + 1000);
      expect((await histogram(owner, open, now)).total).toBe(before.open + 1000);
      expect((await estimateTotal(owner, closed, now)).count).toBe(before.closed);
    } finally {
      await bump(-1000);
    }
    expect((await estimateTotal(owner, open, now)).count).toBe(before.open);
  });

  it("the daily counts are the events of each UTC day and action, and hold no empty rows", async () => {
    const mismatches = await sql()`
      select coalesce(d.day, e.day) as day, coalesce(d.action, e.action) as action, d.event_count, e.n
      from (select day, action, event_count from event_counts_daily where organization_id = ${org.id}) d
      full join (select date_trunc('day', occurred_at, 'UTC') as day, action, count(*) as n from audit_events where organization_id = ${org.id} group by 1, 2) e
        on d.day = e.day and d.action = e.action
      where d.event_count is distinct from e.n`;
    expect(mismatches).toEqual([]);
  });

  it("an append shows in the next count at once, a backdated one too (the shared rollup read is dropped)", async () => {
    const filter = { from: new Date(now.getTime() - 30 * DAY), to: now };
    const before = (await estimateTotal(owner, filter, now)).count;
    expect(before).toBe(await exactCount(filter));
    await sql().begin((tx) => appendInTransaction(tx, org.id, [prepared(new Date(now.getTime() - 20 * DAY), "billing.paid", "u_1", now)]));
    expect((await estimateTotal(owner, filter, now)).count).toBe(before + 1);
    expect((await histogram(owner, filter, now)).total).toBe(before + 1);
    expect((await actionFacets(owner, filter, now)).actions.find((a) => a.action === "billing.paid")?.count).toBe(await exactCount({ ...filter, actions: ["billing.paid"] }));
  });

  it("plans the rollup read on the daily and hourly primary keys, narrowed to the organization and range", async () => {
    const statement = rollupStatement(org.id, { actions: [], target: null }, { events: drizzleSql`'all'`, rollup: () => drizzleSql`'all'`, days: true }, [{ from: Date.parse("2026-10-21T11:00Z"), to: Date.parse("2026-10-22T00:00Z") }], { from: Date.parse("2026-10-22T00:00Z"), to: Date.parse("2026-11-20T00:00Z") });
    const { sql: text, params } = new PgDialect().sqlToQuery(statement);
    let plan = "";
    await sql()
      .begin(async (tx) => {
        await tx`set local enable_seqscan = off`;
        plan = (await tx.unsafe(`explain ${text}`, params as never[])).map((row) => String(row["QUERY PLAN"])).join("\n");
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toMatch(/Index (Only )?Scan (using|on) event_counts_daily_organization_id_day_action_pk[\s\S]*Index Cond: \(\(organization_id = [^)]*\) AND \(day >= /);
    expect(plan).toMatch(/Index (Only )?Scan (using|on) event_counts_hourly_organization_id_hour_action_pk[\s\S]*Index Cond: \(\(organization_id = [^)]*\) AND \(hour >= /);
  });

  it("a member's counts are of their own events only, never the organization's rollups", async () => {
    const filter = { from: new Date(now.getTime() - 30 * DAY) };
    // The owner's view of the same range first: its shared rollup reads must not reach the member.
    await Promise.all([estimateTotal(owner, filter, now), histogram(owner, filter, now), actionFacets(owner, filter, now)]);
    const [own] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${org.id} and actor_id = 'u_member' and occurred_at >= ${filter.from}`;
    expect((await histogram(member, filter, now)).total).toBe(Number(own!.n));
    expect((await estimateTotal(member, filter, now)).count).toBe(Number(own!.n));
  });

  it("a filter the hourly counts cannot serve is counted from the events", async () => {
    const filter = { q: "actor:u_3", from: new Date(now.getTime() - 30 * DAY) };
    const [row] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${org.id} and actor_id = 'u_3' and occurred_at >= ${filter.from}`;
    expect((await histogram(owner, filter, now)).total).toBe(Number(row!.n));
  });

  it("a retention purge takes the purged events out of the hourly counts", async () => {
    const purgeOrg = await createOrg("hourly-purge");
    const events = [
      ...Array.from({ length: 40 }, (_, i) => prepared(new Date(Date.now() - 100 * DAY + i * 600_000), ACTIONS[i % 3]!, "u_1")),
      ...Array.from({ length: 10 }, (_, i) => prepared(new Date(Date.now() - DAY + i * 600_000), ACTIONS[i % 3]!, "u_1")),
    ];
    await sql().begin((tx) => appendInTransaction(tx, purgeOrg.id, events));
    const purgeOwner = await resolveOrgScope(await createUser(purgeOrg.id, "owner"), purgeOrg.id);
    await setRetentionDays(purgeOwner, TEST_CONTEXT, { days: 30 });
    await purgeExpiredEvents(purgeOrg.id, { batchSize: 7 });
    const [{ stored }] = await sql()<{ stored: string }[]>`select count(*) as stored from audit_events where organization_id = ${purgeOrg.id}`;
    const [{ counted }] = await sql()<{ counted: string | null }[]>`select sum(event_count) as counted from event_counts_hourly where organization_id = ${purgeOrg.id}`;
    expect(Number(counted)).toBe(Number(stored));
    const [{ empty }] = await sql()<{ empty: string }[]>`select count(*) as empty from event_counts_hourly where organization_id = ${purgeOrg.id} and event_count <= 0`;
    expect(Number(empty)).toBe(0);
    const [daily] = await sql()<{ counted: string | null; empty: string }[]>`
      select sum(event_count) as counted, count(*) filter (where event_count <= 0) as empty from event_counts_daily where organization_id = ${purgeOrg.id}`;
    expect(Number(daily!.counted)).toBe(Number(stored));
    expect(Number(daily!.empty)).toBe(0);
    const [{ days }] = await sql()<{ days: string }[]>`
      select count(*) as days from event_counts_daily d where organization_id = ${purgeOrg.id}
        and event_count = (select count(*) from audit_events e where e.organization_id = d.organization_id and e.action = d.action and date_trunc('day', e.occurred_at, 'UTC') = d.day)`;
    const [{ rows }] = await sql()<{ rows: string }[]>`select count(*) as rows from event_counts_daily where organization_id = ${purgeOrg.id}`;
    expect(Number(days)).toBe(Number(rows));
    expect((await estimateTotal(purgeOwner, {}, new Date())).count).toBe(Number(stored));
  });
});
