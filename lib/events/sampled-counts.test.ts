import { beforeAll, describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { sql } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg, createUser } from "@/db/testing/fixtures";
import { bucketSeconds } from "./facets";
import { cappedQuery, cellSeconds, EXACT_COUNT_LIMIT, MAX_CELLS, sampleStatement } from "./sampled-counts";
import { matchingEvents } from "./search";

/*
 * The plans of the bounded counts for a common free-text word (the case that
 * planned a parallel sequential scan of all of audit_events): the sample
 * walks the organization's time index cell by cell, and the capped read walks
 * it too (or a rare value's own index), never the table. The planner's own
 * choice, on an analyzed table with another organization beside this one.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date();
const from = new Date(now.getTime() - 30 * DAY);
let scope: Scope;
let memberScope: Scope;

async function seed(organizationId: string, count: number, word: string): Promise<void> {
  await sql()`
    insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, search_text, hash, prev_hash)
    select ${organizationId}, gen_random_uuid(), g, 'test.a', 1, at, at, 'user', 'u_' || (g % 20), '[]', '{}', '{}',
      case when g % 10 < 8 then ${`user ${word} plan`} else 'user other' end, '', ''
    from (select g, ${now}::timestamptz - (g * ${(60 * DAY) / count / 1000}::float8) * interval '1 second' as at from generate_series(1, ${count}) g) e`;
}

beforeAll(async () => {
  const org = await createOrg("sample-plans");
  const other = await createOrg("sample-plans-other");
  await seed(org.id, 40_000, "quarterly");
  await seed(other.id, 40_000, "quarterly");
  await sql()`analyze audit_events`;
  scope = await resolveOrgScope((await createKey(org.id)).principal, org.slug);
  memberScope = await resolveOrgScope(await createUser(org.id, "member", "u_3"), org.slug);
});

/** The plan text of a statement. */
async function explain(text: string, params: unknown[]): Promise<string> {
  const rows = await sql().unsafe(`explain ${text}`, params as never[]);
  return rows.map((row) => String(row["QUERY PLAN"])).join("\n");
}

/**
 * A sequential scan of audit_events (or a month of it) the planner itself costs above a few pages: a month
 * of a few thousand rows (this month so far, or one another test left a handful of rows in) is read whole
 * when that is cheaper, rightly; the organization's large months must come through an index.
 */
const scansTable = (plan: string) =>
  [...plan.matchAll(/Seq Scan on audit_events\w*[^(]*\(cost=[\d.]+\.\.([\d.]+)/g)].some((match) => Number(match[1]) > 1000);

describe("bounded count plans for a common word", () => {
  it.each([
    ["a whole-log reader", () => scope],
    ["a member", () => memberScope],
  ])("the sample walks the time index for %s", async (_label, who) => {
    const { statement, count, perCell } = sampleStatement(who(), { q: "quarterly", from }, { from, bucketSeconds: bucketSeconds(30 * DAY), now });
    expect(count * perCell).toBeLessThanOrEqual(24_000 + count);
    const { sql: text, params } = new PgDialect().sqlToQuery(statement);
    const plan = await explain(text, params);
    expect(scansTable(plan), plan).toBe(false);
    expect(plan).toMatch(/Index Scan using \S*(org_time|organization_id_occurred_at_id_idx)/);
    expect(plan).toMatch(/Index Cond: .*occurred_at >= c\.start/);
    expect(plan).toMatch(/Limit/);
  });

  it("the capped read stops at the limit without scanning the table", async () => {
    const { sql: text, params } = cappedQuery(matchingEvents(scope, { q: "quarterly", from }, now), EXACT_COUNT_LIMIT).toSQL();
    const plan = await explain(text, params);
    expect(scansTable(plan), plan).toBe(false);
  });

  it("cells are whole hours where the buckets are, and never more than MAX_CELLS", () => {
    expect(cellSeconds(21_600, from.getTime(), now.getTime())).toBe(10_800);
    expect(cellSeconds(3600, now.getTime() - 7 * DAY, now.getTime())).toBe(3600);
    expect(cellSeconds(600, now.getTime() - DAY, now.getTime())).toBe(600);
    for (const days of [1, 7, 30, 90, 365, 3650]) {
      const seconds = bucketSeconds(days * DAY);
      const cell = cellSeconds(seconds, now.getTime() - days * DAY, now.getTime());
      expect(seconds % cell).toBe(0);
      expect(Math.ceil((days * DAY) / (cell * 1000))).toBeLessThanOrEqual(Math.max(MAX_CELLS, Math.ceil((days * DAY) / (seconds * 1000))) + 1);
    }
  });
});
