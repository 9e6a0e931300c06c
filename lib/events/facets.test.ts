import { beforeAll, describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { GET as getFacets } from "@/app/api/v1/orgs/[org]/events/facets/route";
import { GET as getHistogram } from "@/app/api/v1/orgs/[org]/events/histogram/route";
import { actionFacets, bucketSeconds, estimateTotal, histogram, MAX_BUCKETS } from "./facets";
import { EXACT_COUNT_LIMIT } from "./sampled-counts";
import { ingest } from "./ingest";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

let scope: Scope;
let memberScope: Scope;
let slug: string;
let secret: string;

beforeAll(async () => {
  const org = await createOrg("facets");
  slug = org.slug;
  const key = await createKey(org.id);
  secret = key.secret;
  const events = [
    ...Array.from({ length: 5 }, (_, i) => event({ action: "test.alpha", occurred_at: ago(i * HOUR + 60_000), actor: { type: "user", id: "u_other" } })),
    ...Array.from({ length: 3 }, (_, i) => event({ action: "test.beta", occurred_at: ago(i * DAY + 60_000), actor: { type: "user", id: "u_member" } })),
    event({ action: "test.gamma", occurred_at: ago(6 * DAY), actor: { type: "user", id: "u_other" }, targets: [{ type: "user", id: "u_member" }] }),
  ];
  await ingest(key.principal, { events }, null);
  scope = await resolveOrgScope(key.principal, org.slug);
  memberScope = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.slug);
});

const countOf = (facets: { actions: { action: string; count: number }[] }, action: string) => facets.actions.find((a) => a.action === action)?.count;

describe("actionFacets", () => {
  it("counts matching events per action, including schema actions with none", async () => {
    const facets = await actionFacets(scope, {}, now);
    expect(countOf(facets, "test.alpha")).toBe(5);
    expect(countOf(facets, "test.beta")).toBe(3);
    expect(countOf(facets, "test.gamma")).toBe(1);
    // The demo schemas are defined vendor-wide; with no events here they count 0.
    expect(countOf(facets, "document.shared")).toBe(0);
    expect(facets.actions.find((a) => a.action === "document.shared")?.label).toBe("Document shared");
    expect(facets.sampled).toBe(false);
    expect(facets.actions[0]?.action).toBe("test.alpha");
  });

  it("ignores the query's own action terms but applies the others", async () => {
    const facets = await actionFacets(scope, { q: "action:test.alpha actor:u_member" }, now);
    expect(countOf(facets, "test.alpha")).toBe(0);
    expect(countOf(facets, "test.beta")).toBe(3);
    expect(countOf(facets, "test.gamma")).toBe(0);
    const ranged = await actionFacets(scope, { from: new Date(now.getTime() - 12 * HOUR) }, now);
    expect(countOf(ranged, "test.beta")).toBe(1);
  });

  it("a member's counts are only of their own events", async () => {
    const facets = await actionFacets(memberScope, {}, now);
    expect(countOf(facets, "test.alpha")).toBeUndefined();
    expect(countOf(facets, "test.beta")).toBe(3);
    expect(countOf(facets, "test.gamma")).toBe(1);
  });
});

describe("estimateTotal", () => {
  it("counts exactly under the limit", async () => {
    expect(await estimateTotal(scope, {}, now)).toEqual({ count: 9, exact: true, method: "count" });
    expect(await estimateTotal(scope, { q: "action:test.beta" }, now)).toEqual({ count: 3, exact: true, method: "count" });
    expect(await estimateTotal(memberScope, {}, now)).toEqual({ count: 4, exact: true, method: "count" });
  });

  it("past the limit counts from the histogram's sample, exactly when the sample read every event (a filter the hourly counts cannot serve)", async () => {
    const org = await createOrg("big");
    // Bench-style rows written directly: the count does not care about the hash chain.
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, search_text, hash, prev_hash)
      select ${org.id}, gen_random_uuid(), g, 'test.bulk', 1, now() - g * interval '1 second', now(), 'user', 'u_' || (g % 10), '[]', '{}', '{}', 'test.bulk', '', ''
      from generate_series(1, ${EXACT_COUNT_LIMIT + 500}) g`;
    await sql()`analyze audit_events`;
    const bigScope = await resolveOrgScope((await createKey(org.id)).principal, org.slug);
    // 10,500 events in three hours: a bucket of a minute, each read to its end by the sample.
    expect(await estimateTotal(bigScope, { q: "actor.type:user" }, now)).toEqual({ count: EXACT_COUNT_LIMIT + 500, exact: true, method: "count" });
  });
});

describe("histogram", () => {
  it("picks bucket widths by the range's length", () => {
    expect(bucketSeconds(HOUR)).toBe(60);
    expect(bucketSeconds(DAY)).toBe(600);
    expect(bucketSeconds(7 * DAY)).toBe(3600);
    expect(bucketSeconds(30 * DAY)).toBe(21_600);
    expect(bucketSeconds(90 * DAY)).toBe(43_200);
    expect(bucketSeconds(3 * 365 * DAY)).toBe(604_800);
  });

  it("never makes more than 500 buckets, whatever the range", () => {
    for (let span = 60_000; span <= 10_000 * 365 * DAY; span *= 1.7) {
      expect(span / (bucketSeconds(span) * 1000)).toBeLessThanOrEqual(MAX_BUCKETS);
    }
    expect(MAX_BUCKETS).toBeLessThanOrEqual(500);
  });

  it("from year 1 to 9999 for a member: at most 500 buckets, every event counted", async () => {
    const from = new Date("0001-01-01T00:00:00Z");
    const to = new Date("9999-12-31T23:59:59Z");
    for (const [as, expected] of [
      [scope, 9],
      [memberScope, 4],
    ] as const) {
      const result = await histogram(as, { from, to }, now);
      expect(result.buckets.length).toBeLessThanOrEqual(500);
      expect(result.total).toBe(expected);
      expect(result.exact).toBe(true);
      expect(result.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(expected);
      const starts = result.buckets.map((b) => Date.parse(b.start));
      expect(starts[0]).toBeLessThanOrEqual(from.getTime());
      expect(starts.at(-1)! + result.bucket_seconds * 1000).toBeGreaterThan(to.getTime());
    }
  });

  it("counts every matching event in the range, with empty buckets filled", async () => {
    const from = new Date(now.getTime() - 7 * DAY);
    const result = await histogram(scope, { from }, now);
    expect(result.bucket_seconds).toBe(3600);
    expect(result.total).toBe(9);
    expect(result.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(9);
    expect(result.buckets.length).toBeGreaterThanOrEqual(168);
    expect(result.buckets.length).toBeLessThanOrEqual(169);
    const starts = result.buckets.map((b) => Date.parse(b.start));
    expect(starts.every((s, i) => i === 0 || s - starts[i - 1]! === HOUR)).toBe(true);
    expect(starts[0]).toBeLessThanOrEqual(from.getTime());
  });

  it("applies the query and the member's scope", async () => {
    expect((await histogram(scope, { q: "action:test.alpha", from: new Date(now.getTime() - DAY) }, now)).total).toBe(5);
    expect((await histogram(memberScope, { from: new Date(now.getTime() - 30 * DAY) }, now)).total).toBe(4);
  });

  it("counts a filter the rollups cannot serve exactly under the limit", async () => {
    const result = await histogram(scope, { q: "-actor:u_member", from: new Date(now.getTime() - 7 * DAY) }, now);
    expect(result).toMatchObject({ total: 6, exact: true });
    const member = await histogram(memberScope, { q: "test", from: new Date(now.getTime() - 7 * DAY) }, now);
    expect(member).toMatchObject({ total: 4, exact: true });
  });

  it("without from, starts at the oldest matching event", async () => {
    const result = await histogram(scope, { q: "action:test.gamma" }, now);
    expect(Date.parse(result.from)).toBeLessThanOrEqual(now.getTime() - 6 * DAY + 60_000);
    expect(result.total).toBe(1);
  });
});

describe("facet routes", () => {
  const call = (handler: typeof getFacets, path: string, query: string, auth = `Bearer ${secret}`) =>
    handler(new Request(`http://localhost/api/v1/orgs/${slug}/events/${path}?${query}`, { headers: { authorization: auth } }), { params: Promise.resolve({ org: slug }) });

  it("GET facets and histogram return data; bad input is a 400, a stranger a 404", async () => {
    const facets = await call(getFacets, "facets", "q=action%3Atest.*");
    expect(facets.status).toBe(200);
    const body = (await facets.json()) as { data: { total: { count: number; exact: boolean } } };
    expect(body.data.total).toMatchObject({ count: 9, exact: true });
    const hist = await call(getHistogram, "histogram", `from=${encodeURIComponent(ago(DAY))}`);
    expect(hist.status).toBe(200);
    expect(((await hist.json()) as { data: { total: number; exact: boolean } }).data).toMatchObject({ total: 6, exact: true });
    const bad = await call(getHistogram, "histogram", "q=nope:1");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe("q[0:6]");
    const huge = await call(getHistogram, "histogram", "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z");
    expect(huge.status).toBe(200);
    const hugeData = ((await huge.json()) as { data: { buckets: unknown[]; total: number } }).data;
    expect(hugeData.total).toBe(9);
    expect(hugeData.buckets.length).toBeLessThanOrEqual(500);
    const hugeFromQuery = await call(getHistogram, "histogram", `q=${encodeURIComponent("occurred:0001-01-01..9999-12-30")}&to=9999-12-31T00:00:00Z`);
    expect(((await hugeFromQuery.json()) as { data: { buckets: unknown[] } }).data.buckets.length).toBeLessThanOrEqual(500);
    const stranger = await createKey((await createOrg("other")).id);
    expect((await call(getFacets, "facets", "", `Bearer ${stranger.secret}`)).status).toBe(404);
  });
});

/*
 * A common word on a log larger than the exact limit: the histogram and the
 * action counts are estimated from a bounded sample and say so. Rows are
 * written directly (as the bench seeds them) with the rollups ingest would
 * keep; the word is commoner in the last hour of each 3-hour bucket, so a
 * sample of each bucket's newest events alone would be biased (the sampler
 * reads each hour's newest instead), and commoner among the
 * member's events than the others', so a member's figures that counted
 * others' events would be far off.
 */
describe("counts of a filter the rollups cannot serve, past the exact limit", () => {
  const EVENTS = 30_000;
  const SPAN = 10 * DAY;
  // A sample of ~33 events per hour of ~125: a big log's proportions, on a small one.
  const limits = { exact: 2000, sampleRows: 8000 };
  const from = new Date(now.getTime() - SPAN - HOUR);
  let big: Scope;
  let bigMember: Scope;
  let bigSlug: string;
  let bigSecret: string;

  beforeAll(async () => {
    const org = await createOrg("sampled");
    bigSlug = org.slug;
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, search_text, hash, prev_hash)
      select ${org.id}, gen_random_uuid(), g, case when g % 3 = 0 then 'test.b' else 'test.a' end, 1, at, at, 'user', actor, '[]', '{}', '{}',
        case when abs(hashtext(g::text)) % 100 < case when actor = 'u_member' then 60 when extract(hour from at at time zone 'UTC')::int % 3 = 2 then 50 else 15 end
          then 'user login ok' else 'user other' end, '', ''
      from (select g, ${now}::timestamptz - (g * ${SPAN / EVENTS / 1000}::float8) * interval '1 second' as at, case when g % 4 = 0 then 'u_member' else 'u_' || (g % 7) end as actor
            from generate_series(1, ${EVENTS}) g) e`;
    await sql()`
      insert into event_counts_hourly (organization_id, hour, action, event_count)
      select organization_id, date_trunc('hour', occurred_at, 'UTC'), action, count(*) from audit_events where organization_id = ${org.id} group by 1, 2, 3`;
    await sql()`
      insert into event_counts_daily (organization_id, day, action, event_count)
      select organization_id, date_trunc('day', hour, 'UTC'), action, sum(event_count) from event_counts_hourly where organization_id = ${org.id} group by 1, 2, 3`;
    await sql()`analyze audit_events`;
    const key = await createKey(org.id);
    bigSecret = key.secret;
    big = await resolveOrgScope(key.principal, org.slug);
    bigMember = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.slug);
  });

  /** The true counts per bucket start (ms), of all events or of the member's. */
  async function truth(seconds: number, member = false): Promise<Map<number, number>> {
    const rows = await sql()<{ start: Date; n: number }[]>`
      select date_bin(${`${seconds} seconds`}::interval, occurred_at, '2001-01-01T00:00:00Z') as start, count(*)::int as n
      from audit_events where organization_id = ${big.organization.id} and search_text like '%login%' and occurred_at >= ${from}
        and (${!member} or actor_id = 'u_member') group by 1`;
    return new Map(rows.map((r) => [r.start.getTime(), r.n]));
  }

  it("marks the histogram an estimate, each bucket near the truth", async () => {
    const result = await histogram(big, { q: "login", from }, now, limits);
    expect(result.exact).toBe(false);
    expect(result.bucket_seconds).toBe(10_800);
    const expected = await truth(result.bucket_seconds);
    const all = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(all).toBeGreaterThan(limits.exact);
    expect(Math.abs(result.total - all) / all).toBeLessThan(0.05);
    expect(result.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(result.total);
    // Buckets of ~375 events, ~100 of them read: each within half (a few sampling errors), all together within a sixth.
    let error = 0;
    for (const bucket of result.buckets) {
      const real = expected.get(Date.parse(bucket.start)) ?? 0;
      error += Math.abs(bucket.count - real);
      expect(Math.abs(bucket.count - real), bucket.start).toBeLessThanOrEqual(Math.max(20, real * 0.5));
    }
    expect(error / all).toBeLessThan(1 / 6);
    // The default limits sample too (more than EXACT_COUNT_LIMIT match), and the API says so.
    const response = await getHistogram(
      new Request(`http://localhost/api/v1/orgs/${bigSlug}/events/histogram?q=login&from=${encodeURIComponent(from.toISOString())}`, { headers: { authorization: `Bearer ${bigSecret}` } }),
      { params: Promise.resolve({ org: bigSlug }) },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { total: number; exact: boolean } };
    expect(body.data.exact).toBe(false);
    expect(Math.abs(body.data.total - all) / all).toBeLessThan(0.05);
  });

  it("estimates the action counts from the same bounded sample", async () => {
    const facets = await actionFacets(big, { q: "login", from }, now, limits);
    expect(facets.sampled).toBe(true);
    const real = await sql()<{ action: string; n: number }[]>`
      select action, count(*)::int as n from audit_events where organization_id = ${big.organization.id} and search_text like '%login%' and occurred_at >= ${from} group by 1`;
    for (const { action, n } of real) {
      expect(Math.abs(countOf(facets, action)! - n) / n, action).toBeLessThan(0.08);
    }
  });

  it("estimates the total from the same sample and says so, without reading the newest matches first", async () => {
    const all = [...(await truth(10_800)).values()].reduce((a, b) => a + b, 0);
    // The statements the app's pool sends (postgres.js reads `debug` per query; drizzle keeps its client as $client).
    const options = (db() as unknown as { $client: { options: { debug: unknown } } }).$client.options;
    const sent: { text: string; params: unknown[] }[] = [];
    options.debug = (_connection: number, text: string, params: unknown[]) => sent.push({ text, params });
    // The planner takes `login` to be as common in this org as in the whole table, which the other test files fill in parallel
    // (with up to ten times this org's events, ~3% of them logins): its estimate can fall to ~1,000 of the ~7,500 matches.
    // A limit well under half of that keeps the case this test is about, whatever ran first.
    const lowLimits = { ...limits, exact: 200 };
    const total = await estimateTotal(big, { q: "login", from }, now, lowLimits).finally(() => (options.debug = false));
    expect(total).toMatchObject({ exact: false, method: "estimate" });
    expect(Math.abs(total.count - all) / all).toBeLessThan(0.05);
    // The planner expected more than twice the limit: the sample went first and sufficed, so no capped read (limit + 1 rows) was sent.
    expect(sent.some((s) => /^explain/.test(s.text))).toBe(true);
    expect(sent.filter((s) => s.params.map(String).includes(String(lowLimits.exact + 1)))).toEqual([]);
  });

  it("counts a filter with fewer matches than the limit exactly, though the range holds more events", async () => {
    const [{ n }] = await sql()<{ n: number }[]>`
      select count(*)::int as n from audit_events where organization_id = ${big.organization.id} and actor_id = 'u_3' and search_text like '%login%' and occurred_at >= ${from}`;
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(limits.exact);
    const filter = { q: "login actor:u_3", from };
    expect(await histogram(big, filter, now, limits)).toMatchObject({ total: n, exact: true });
    expect(await estimateTotal(big, filter, now, limits)).toEqual({ count: n, exact: true, method: "count" });
    const facets = await actionFacets(big, filter, now, limits);
    expect(facets.sampled).toBe(false);
    expect(facets.actions.reduce((sum, a) => sum + a.count, 0)).toBe(n);
    // Fewer than the probe reads: counted from it.
    expect(await histogram(big, { q: "login actor:u_none", from }, now, limits)).toMatchObject({ total: 0, exact: true });
  });

  it("counts exactly when the planner expected many matches but the sample finds few", async () => {
    const org = await createOrg("misjudged");
    // u_gone does test.b, u_stays test.a; only u_gone's 100 newest events are test.a. The planner takes the two
    // negations as independent (half × half of 12,000), so it expects ~3,000 matches of 100, with true statistics.
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, search_text, hash, prev_hash)
      select ${org.id}, gen_random_uuid(), g, case when g % 2 = 1 or g <= 200 then 'test.a' else 'test.b' end, 1,
        ${now}::timestamptz - g * interval '20 seconds', ${now}::timestamptz - g * interval '20 seconds', 'user',
        case when g % 2 = 0 then 'u_gone' else 'u_stays' end, '[]', '{}', '{}', 'test', '', ''
      from generate_series(1, 12000) g`;
    await sql()`analyze audit_events`;
    const misjudged = await resolveOrgScope((await createKey(org.id)).principal, org.slug);
    const tight = { exact: 1000, sampleRows: 2000 };
    const plan = await sql().unsafe(`explain (format json) select 1 from audit_events where organization_id = '${org.id}' and actor_id <> 'u_stays' and action <> 'test.b'`);
    expect((plan[0]!["QUERY PLAN"] as [{ Plan: { "Plan Rows": number } }])[0].Plan["Plan Rows"]).toBeGreaterThan(2 * tight.exact);
    const filter = { q: "-actor.id:u_stays -action:test.b", from: new Date(now.getTime() - 10 * DAY) };
    // 180 events an hour, more than the sample reads of each: on its own it would only estimate.
    expect(await histogram(misjudged, filter, now, tight)).toMatchObject({ total: 100, exact: true });
    expect(await estimateTotal(misjudged, filter, now, tight)).toEqual({ count: 100, exact: true, method: "count" });
  });

  it("a member's estimate counts only their own events", async () => {
    const result = await histogram(bigMember, { q: "login", from }, now, limits);
    expect(result.exact).toBe(false);
    const mine = [...(await truth(result.bucket_seconds, true)).values()].reduce((a, b) => a + b, 0);
    const everyone = [...(await truth(result.bucket_seconds)).values()].reduce((a, b) => a + b, 0);
    expect(everyone).toBeGreaterThan(2 * mine);
    expect(Math.abs(result.total - mine) / mine).toBeLessThan(0.1);
    // Under the default limit the member's count is exact.
    const exact = await histogram(bigMember, { q: "login", from }, now);
    expect(exact).toMatchObject({ total: mine, exact: true });
    const facets = await actionFacets(bigMember, { q: "login", from }, now, limits);
    expect(facets.sampled).toBe(true);
    expect(facets.actions.reduce((sum, a) => sum + a.count, 0)).toBeLessThan(mine * 1.1);
  });

  it("a bad query is still a 400 before anything is counted", async () => {
    const response = await getHistogram(
      new Request(`http://localhost/api/v1/orgs/${bigSlug}/events/histogram?q=${encodeURIComponent("login nope:1")}`, { headers: { authorization: `Bearer ${bigSecret}` } }),
      { params: Promise.resolve({ org: bigSlug }) },
    );
    expect(response.status).toBe(400);
  });
});
