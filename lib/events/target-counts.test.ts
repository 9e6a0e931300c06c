import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { seededRandom } from "@/scripts/seeded-random";
import { appendInTransaction } from "./append";
import { actionFacets, estimateTotal, histogram } from "./facets";
import { rollupFilter } from "./hourly-counts";
import { purgeExpiredEvents, setRetentionDays } from "./retention";
import type { EventFilter } from "./search";
import { targetGroups } from "./target-counts";
import type { EventEntity, PreparedEvent } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACTIONS = ["document.viewed", "document.shared", "user.signed_in"];
// A user with the same id as a document: a target is its type and id together.
const TARGETS: EventEntity[] = [
  { type: "document", id: "doc_1" },
  { type: "document", id: "doc_2" },
  { type: "document", id: "doc_3" },
  { type: "user", id: "doc_1" },
];
// Smaller than the document's matches: the capped count would give up and estimate; the rollup stays exact.
const TINY_LIMITS = { exact: 5, sampleRows: 100 };

const now = new Date("2026-11-20T10:23:17.250Z");

let org: { id: string; slug: string };
let owner: Scope;
let member: Scope;

function prepared(occurredAt: Date, action: string, targets: EventEntity[], actorId = "u_1"): PreparedEvent {
  return { id: uuidv7(), action, version: 1, occurredAt, receivedAt: occurredAt, actor: { type: "user", id: actorId }, targets, ip: null, userAgent: null, metadata: {} };
}

/** Events naming the target (once or more), counted from audit_events itself. */
async function exactCount(type: string, id: string, filter: { from?: Date; to?: Date; actions?: string[] }): Promise<number> {
  const [row] = await sql()<{ n: string }[]>`
    select count(*) as n from audit_events where organization_id = ${org.id}
      and exists (select 1 from jsonb_array_elements(targets) t where t ->> 'type' = ${type} and t ->> 'id' = ${id})
      and (${filter.from ?? null}::timestamptz is null or occurred_at >= ${filter.from ?? null})
      and (${filter.to ?? null}::timestamptz is null or occurred_at < ${filter.to ?? null})
      and (${filter.actions ?? null}::text[] is null or action = any(${filter.actions ?? null}))`;
  return Number(row!.n);
}

beforeAll(async () => {
  org = await createOrg("targets");
  const rand = seededRandom(11);
  const pick = () => TARGETS[Math.floor(rand() * TARGETS.length)]!;
  // 60 days of events at random instants naming one or two targets, some the same target twice (with another name).
  const events = Array.from({ length: 2500 }, () => {
    const at = new Date(now.getTime() - Math.floor(rand() * 60 * DAY) + (rand() < 0.01 ? 3 * 60_000 : 0));
    const first = pick();
    const roll = rand();
    const targets = roll < 0.2 ? [first, { ...first, name: "again" }] : roll < 0.5 ? [first, pick()] : roll < 0.55 ? [] : [first];
    return prepared(at, ACTIONS[Math.floor(rand() * ACTIONS.length)]!, targets, rand() < 0.1 ? "u_member" : "u_1");
  });
  for (let i = 0; i < events.length; i += 600) await sql().begin((tx) => appendInTransaction(tx, org.id, events.slice(i, i + 600)));
  owner = await resolveOrgScope(await createUser(org.id, "owner"), org.id);
  member = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.id);
});

const FILTERS: [string, EventFilter, string, string, string[] | undefined][] = [
  ["the default 30 days", { q: "target:document:doc_1", from: new Date(now.getTime() - 30 * DAY) }, "document", "doc_1", undefined],
  ["all time", { q: "target:document:doc_2" }, "document", "doc_2", undefined],
  ["the user of the same id", { q: "target:user:doc_1", from: new Date(now.getTime() - 30 * DAY) }, "user", "doc_1", undefined],
  ["a range off the hour edges", { q: "target:document:doc_1", from: new Date("2026-10-03T07:41:09.123Z"), to: new Date("2026-11-01T13:05:00Z") }, "document", "doc_1", undefined],
  ["within one hour", { q: "target:document:doc_3", from: new Date("2026-11-10T07:10:00Z"), to: new Date("2026-11-10T07:50:00Z") }, "document", "doc_3", undefined],
  ["with an action", { q: "target:document:doc_1 action:document.shared", from: new Date(now.getTime() - 30 * DAY) }, "document", "doc_1", ["document.shared"]],
  ["with an action prefix over 45 days", { q: "action:document.* target:document:doc_2", from: new Date(now.getTime() - 45 * DAY) }, "document", "doc_2", ["document.viewed", "document.shared"]],
  ["a target no event names", { q: "target:document:doc_9", from: new Date(now.getTime() - 30 * DAY) }, "document", "doc_9", undefined],
];

describe("the target rollup (event_target_counts_hourly)", () => {
  it("counts an event once per target it names, a target being its type and id together", () => {
    const at = new Date("2026-11-01T10:30:00Z");
    const groups = targetGroups([
      { action: "a", occurredAt: at, targets: [{ type: "document", id: "d1" }, { type: "document", id: "d1" }, { type: "user", id: "d1" }] },
      { action: "a", occurredAt: new Date("2026-11-01T10:59:59.999Z"), targets: [{ type: "document", id: "d1" }] },
      // Separators inside values do not join two pairs into one.
      { action: "a", occurredAt: at, targets: [{ type: "x:y", id: "z" }, { type: "x", id: "y:z" }] },
    ]);
    const hour = Date.parse("2026-11-01T10:00:00Z");
    expect(groups).toEqual([
      { type: "document", id: "d1", hour, action: "a", count: 2 },
      { type: "user", id: "d1", hour, action: "a", count: 1 },
      { type: "x", id: "y:z", hour, action: "a", count: 1 },
      { type: "x:y", id: "z", hour, action: "a", count: 1 },
    ]);
  });

  it.each(FILTERS)("totals, histograms and action facets from the target rollup equal counting the events: %s", async (_, filter, type, id, actions) => {
    const expected = await exactCount(type, id, { from: filter.from, to: filter.to, actions });
    expect(await estimateTotal(owner, filter, now)).toEqual({ count: expected, exact: true, method: "count" });
    const hist = await histogram(owner, filter, now, TINY_LIMITS);
    expect(hist).toMatchObject({ total: expected, exact: true });
    expect(hist.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(expected);
    // Facets count as if the action terms were not set.
    const facets = await actionFacets(owner, filter, now, TINY_LIMITS);
    expect(facets.sampled).toBe(false);
    for (const action of ACTIONS) {
      expect(facets.actions.find((a) => a.action === action)?.count ?? 0, action).toBe(await exactCount(type, id, { from: filter.from, to: filter.to, actions: [action] }));
    }
  });

  it("each histogram bucket holds exactly the events of its interval", async () => {
    const hist = await histogram(owner, { q: "target:document:doc_1", from: new Date(now.getTime() - 30 * DAY) }, now, TINY_LIMITS);
    expect(hist.bucket_seconds).toBe(21_600);
    for (const bucket of hist.buckets.slice(1, -1)) {
      const from = new Date(bucket.start);
      expect(bucket.count, bucket.start).toBe(await exactCount("document", "doc_1", { from, to: new Date(from.getTime() + 6 * HOUR) }));
    }
  });

  it("serves only what it can: one positive target:type:id, with action terms, for a whole-log reader", () => {
    expect(rollupFilter(owner, "target:document:doc_1 action:document.*")).toMatchObject({ target: { type: "document", id: "doc_1" } });
    expect(rollupFilter(owner, "target:document:doc_1 target:document:doc_2")).toBeNull();
    expect(rollupFilter(owner, "-target:document:doc_1")).toBeNull();
    expect(rollupFilter(owner, "target:document")).toBeNull();
    expect(rollupFilter(owner, "target:document:doc_1 actor:u_1")).toBeNull();
    expect(rollupFilter(member, "target:document:doc_1")).toBeNull();
  });

  it("reads the counts from the rollup, not the events: a row written there alone is counted", async () => {
    const ghostOrg = await createOrg("targets-ghost");
    const ghostOwner = await resolveOrgScope(await createUser(ghostOrg.id, "owner"), ghostOrg.id);
    await sql()`insert into event_target_counts_hourly (organization_id, target_type, target_id, hour, action, event_count)
      values (${ghostOrg.id}, 'document', 'ghost', ${new Date(now.getTime() - 3 * DAY - (now.getTime() % HOUR))}, 'document.viewed', 7)`;
    const filter = { q: "target:document:ghost", from: new Date(now.getTime() - 30 * DAY) };
    expect(await estimateTotal(ghostOwner, filter, now)).toEqual({ count: 7, exact: true, method: "count" });
    expect((await histogram(ghostOwner, filter, now)).total).toBe(7);
    // With another term the rollup cannot serve, the events are counted: there are none.
    expect(await estimateTotal(ghostOwner, { ...filter, q: `${filter.q} actor:u_1` }, now)).toEqual({ count: 0, exact: true, method: "count" });
  });

  it("a member's target counts are of their own events, never the rollup's", async () => {
    const filter = { q: "target:document:doc_1", from: new Date(now.getTime() - 30 * DAY) };
    const [row] = await sql()<{ n: string }[]>`
      select count(*) as n from audit_events where organization_id = ${org.id} and actor_id = 'u_member'
        and targets @> '[{"type":"document","id":"doc_1"}]'::jsonb and occurred_at >= ${filter.from}`;
    expect(Number(row!.n)).toBeGreaterThan(0);
    expect(await estimateTotal(member, filter, now)).toEqual({ count: Number(row!.n), exact: true, method: "count" });
  });

  it("holds what the migration's backfill computes from the stored events, and no empty rows", async () => {
    const migration = readFileSync(path.join(import.meta.dirname, "../../db/migrations/0013_target_counts.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1)!.replace(/^--.*$/gm, "");
    expect(backfill).toMatch(/^\s*INSERT INTO "event_target_counts_hourly"/);
    const [{ differing }] = await sql().begin(async (tx) => {
      await tx`create temp table backfilled (like event_target_counts_hourly) on commit drop`;
      await tx.unsafe(backfill.replace('INSERT INTO "event_target_counts_hourly"', "INSERT INTO backfilled").replace("GROUP BY", `WHERE e.organization_id = '${org.id}' GROUP BY`));
      return tx<{ differing: string }[]>`
        select count(*) as differing from (
          (select target_type, target_id, hour, action, event_count from backfilled
           except select target_type, target_id, hour, action, event_count from event_target_counts_hourly where organization_id = ${org.id})
          union all
          (select target_type, target_id, hour, action, event_count from event_target_counts_hourly where organization_id = ${org.id}
           except select target_type, target_id, hour, action, event_count from backfilled)
        ) d`;
    });
    expect(Number(differing)).toBe(0);
    const [{ rows, empty }] = await sql()<{ rows: string; empty: string }[]>`
      select count(*) as rows, count(*) filter (where event_count <= 0) as empty from event_target_counts_hourly where organization_id = ${org.id}`;
    expect(Number(rows)).toBeGreaterThan(100);
    expect(Number(empty)).toBe(0);
  });

  it("a retention purge takes the purged events out of the target counts, and the rows it empties", async () => {
    const purgeOrg = await createOrg("targets-purge");
    const doc = { type: "document", id: "kept" };
    const gone = { type: "document", id: "gone" };
    const events = [
      ...Array.from({ length: 40 }, (_, i) => prepared(new Date(Date.now() - 100 * DAY + i * 600_000), ACTIONS[i % 3]!, i % 2 ? [doc, gone, gone] : [doc])),
      ...Array.from({ length: 10 }, (_, i) => prepared(new Date(Date.now() - DAY + i * 600_000), ACTIONS[i % 3]!, [doc])),
    ];
    await sql().begin((tx) => appendInTransaction(tx, purgeOrg.id, events));
    const purgeOwner = await resolveOrgScope(await createUser(purgeOrg.id, "owner"), purgeOrg.id);
    await setRetentionDays(purgeOwner, TEST_CONTEXT, { days: 30 });
    await purgeExpiredEvents(purgeOrg.id, { batchSize: 7 });
    const counted = await sql()<{ target_id: string; n: string }[]>`
      select target_id, sum(event_count) as n from event_target_counts_hourly where organization_id = ${purgeOrg.id} and target_type = 'document' group by 1`;
    expect(counted.map((r) => [r.target_id, Number(r.n)])).toEqual([["kept", 10]]);
    expect(await estimateTotal(purgeOwner, { q: "target:document:kept" }, new Date())).toEqual({ count: 10, exact: true, method: "count" });
    expect(await estimateTotal(purgeOwner, { q: "target:document:gone" }, new Date())).toEqual({ count: 0, exact: true, method: "count" });
  });
});
