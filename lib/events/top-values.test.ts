import { sql as drizzleSql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { GET as getTop, POST as postTop } from "@/app/api/v1/orgs/[org]/events/top/route";
import { ACTION_SAMPLE, TOP_VALUES, topValues, topValuesStatements } from "./facets";
import { ingest } from "./ingest";

const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

let scope: Scope;
let memberScope: Scope;
let slug: string;
let secret: string;

/*
 * ada: 5 events from 203.0.113.7 on doc_1; bob: 3 from 198.51.100.1 on doc_2 and the member;
 * the member: 2 from 2001:db8::1 on doc_2. Another organization's events use the same names.
 */
beforeAll(async () => {
  const org = await createOrg("top");
  slug = org.slug;
  const key = await createKey(org.id);
  secret = key.secret;
  const events = [
    ...Array.from({ length: 5 }, (_, i) =>
      event({ occurred_at: ago(i * 60_000 + 1000), actor: { type: "user", id: "u_ada", name: "Ada" }, targets: [{ type: "document", id: "doc_1", name: "Plan" }], context: { location: "203.0.113.7" } }),
    ),
    ...Array.from({ length: 3 }, (_, i) =>
      event({
        occurred_at: ago(i * 60_000 + 2000),
        actor: { type: "user", id: "u_bob", name: "Bob" },
        targets: [{ type: "document", id: "doc_2" }, { type: "user", id: "u_member", name: "Mia" }],
        context: { location: "198.51.100.1" },
      }),
    ),
    ...Array.from({ length: 2 }, (_, i) => event({ occurred_at: ago(i * 60_000 + 3000), actor: { type: "user", id: "u_member", name: "Mia" }, targets: [{ type: "document", id: "doc_2" }], context: { location: "2001:db8::1" } })),
    event({ occurred_at: ago(4000), actor: { type: "service", id: "u_ada" }, targets: [], context: {} }),
  ];
  await ingest(key.principal, { events }, null);
  scope = await resolveOrgScope(key.principal, org.slug);
  memberScope = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.slug);

  const other = await createOrg("top-other");
  const otherKey = await createKey(other.id);
  await ingest(otherKey.principal, { events: Array.from({ length: 20 }, () => event({ actor: { type: "user", id: "u_ada", name: "Ada" }, context: { location: "203.0.113.7" } })) }, null);
});

describe("topValues", () => {
  it("counts actors, IP addresses and targets, most first", async () => {
    const top = await topValues(scope, {}, now);
    expect(top.actors).toEqual([
      { type: "user", id: "u_ada", name: "Ada", count: 5 },
      { type: "user", id: "u_bob", name: "Bob", count: 3 },
      { type: "user", id: "u_member", name: "Mia", count: 2 },
      { type: "service", id: "u_ada", name: null, count: 1 },
    ]);
    expect(top.ips).toEqual([
      { ip: "203.0.113.7", count: 5 },
      { ip: "198.51.100.1", count: 3 },
      { ip: "2001:db8::1", count: 2 },
    ]);
    expect(top.targets).toEqual([
      { type: "document", id: "doc_1", name: "Plan", count: 5 },
      { type: "document", id: "doc_2", name: null, count: 5 },
      { type: "user", id: "u_member", name: "Mia", count: 3 },
    ]);
    expect(top.sampled).toBe(false);
  });

  it("each list counts as if its own key's terms were not set, and applies the others", async () => {
    const byAda = await topValues(scope, { q: "actor:user:u_ada" }, now);
    // Picking one actor still shows the others…
    expect(byAda.actors.map((a) => `${a.type}:${a.id}`)).toEqual(["user:u_ada", "user:u_bob", "user:u_member", "service:u_ada"]);
    // …while the IP addresses and targets are that actor's.
    expect(byAda.ips).toEqual([{ ip: "203.0.113.7", count: 5 }]);
    expect(byAda.targets).toEqual([{ type: "document", id: "doc_1", name: "Plan", count: 5 }]);

    const notThatIp = await topValues(scope, { q: "-ip:203.0.113.7 target:document:doc_2" }, now);
    expect(notThatIp.ips.map((i) => i.ip)).toEqual(["198.51.100.1", "2001:db8::1"]);
    expect(notThatIp.actors.map((a) => a.id)).toEqual(["u_bob", "u_member"]);
    // The target list ignores target:document:doc_2 but keeps -ip.
    expect(notThatIp.targets.map((t) => `${t.type}:${t.id}:${t.count}`)).toEqual(["document:doc_2:5", "user:u_member:3"]);

    const ranged = await topValues(scope, { from: new Date(now.getTime() - 90_000) }, now);
    expect(ranged.actors.find((a) => a.id === "u_ada" && a.type === "user")?.count).toBe(2);
  });

  it("uses one scan when the query has none of the lists' keys, one more per key it has", async () => {
    expect(topValuesStatements(scope, {}, now)).toHaveLength(1);
    expect(topValuesStatements(scope, { q: "action:test.happened" }, now)).toHaveLength(1);
    expect(topValuesStatements(scope, { q: "ip:203.0.113.7" }, now)).toHaveLength(2);
    expect(topValuesStatements(scope, { q: "actor:u_ada ip:10.0.0.0/8 target:document" }, now)).toHaveLength(3);
  });

  it("a member counts only their own events", async () => {
    const top = await topValues(memberScope, {}, now);
    expect(top.actors.map((a) => `${a.id}:${a.count}`)).toEqual(["u_bob:3", "u_member:2"]);
    expect(top.ips.map((i) => i.ip)).toEqual(["198.51.100.1", "2001:db8::1"]);
    expect(top.targets.map((t) => `${t.id}:${t.count}`)).toEqual(["doc_2:5", "u_member:3"]);
  });

  it("never counts another organization's events", async () => {
    const top = await topValues(scope, { q: "actor:u_ada" }, now);
    expect(top.ips).toEqual([{ ip: "203.0.113.7", count: 5 }]);
    expect(top.actors.reduce((sum, a) => sum + a.count, 0)).toBe(11);
  });

  it("a bad query is the 400 naming its term", async () => {
    await expect(topValues(scope, { q: "nope:1" }, now)).rejects.toMatchObject({ code: "invalid_query" });
  });
});

describe("topValues on a log larger than its sample", () => {
  let bigScope: Scope;

  beforeAll(async () => {
    const org = await createOrg("top-big");
    // Bench-style rows written directly: the counts do not care about the hash chain. More actors and addresses than a list holds.
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, ip, search_text, hash, prev_hash)
      select ${org.id}, gen_random_uuid(), g, 'test.bulk', 1, now() - g * interval '1 second', now(), 'user', 'u_' || (g % 25),
             jsonb_build_array(jsonb_build_object('type', 'document', 'id', 'doc_' || (g % 3))), array['doc_' || (g % 3)], array['document'],
             ('10.0.' || (g % 40) || '.1')::inet, 'test.bulk', '', ''
      from generate_series(1, ${2 * ACTION_SAMPLE}) g`;
    await sql()`analyze audit_events`;
    bigScope = await resolveOrgScope((await createKey(org.id)).principal, org.slug);
  });

  it("counts the newest ACTION_SAMPLE events, at most TOP_VALUES of each, and says it sampled", async () => {
    const top = await topValues(bigScope, {}, now);
    expect(top.sampled).toBe(true);
    expect(top.actors).toHaveLength(TOP_VALUES);
    expect(top.ips).toHaveLength(TOP_VALUES);
    expect(top.targets).toHaveLength(3);
    expect(top.targets.reduce((sum, t) => sum + t.count, 0)).toBe(ACTION_SAMPLE);
    expect(top.actors[0]!.count).toBe(ACTION_SAMPLE / 25);
    // A filter with fewer matches than the sample counts them all.
    const few = await topValues(bigScope, { q: "actor.id:u_3" }, now);
    expect(few.sampled).toBe(false);
    expect(few.actors).toEqual([{ type: "user", id: "u_3", name: null, count: (2 * ACTION_SAMPLE) / 25 }]);
  });

  // The log is twice the sample: where it is hardly larger, sorting all of it costs less and the planner rightly does that.
  it("reads the newest events through the organization's time index, never the whole table", async () => {
    const [statement] = topValuesStatements(bigScope, {}, now);
    const rows = (await db().execute(drizzleSql`explain ${statement}`)) as unknown as { "QUERY PLAN": string }[];
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).not.toMatch(/Seq Scan on audit_events/);
    // The sample is the first rows of each month's time index, merged in their order: no sort of the organization's rows before the limit.
    expect(plan, plan).toMatch(/CTE newest\n\s*->\s+Limit[^\n]*\n\s*->\s+Merge Append[^\n]*\n[^\n]*Sort Key: audit_events\.occurred_at DESC, audit_events\.id DESC\n\s*->\s+Index Scan using audit_events_y\d{4}m\d{2}_org_time on audit_events_y\d{4}m\d{2}/);
    expect(plan).not.toMatch(/->\s+Sort\b[^\n]*\n\s*Sort Key: audit_events/);
  });
});

describe("GET /api/v1/orgs/{org}/events/top", () => {
  const call = (query: string, auth = `Bearer ${secret}`) =>
    getTop(new Request(`http://localhost/api/v1/orgs/${slug}/events/top?${query}`, { headers: { authorization: auth } }), { params: Promise.resolve({ org: slug }) });

  it("returns the lists; bad input is a 400 with issues; a stranger gets 404; other methods 405", async () => {
    const ok = await call(`q=${encodeURIComponent("action:test.*")}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: { actors: unknown[]; ips: unknown[]; targets: unknown[]; sampled: boolean } };
    expect(body.data.actors).toHaveLength(4);
    expect(body.data.sampled).toBe(false);

    for (const [query, path] of [
      ["q=nope:1", "q[0:6]"],
      ["q=ip:999.1.1.1", "q[0:12]"],
      ["from=yesterday", "from"],
      [`q=${"a".repeat(2001)}`, "q"],
    ] as const) {
      const bad = await call(query);
      expect(bad.status, query).toBe(400);
      expect(bad.headers.get("content-type")).toMatch(/application\/json/);
      const error = ((await bad.json()) as { error: { code: string; message: string; issues: { path: string }[] } }).error;
      expect(error.code, query).toBe("invalid_query");
      expect(error.issues[0]?.path, query).toBe(path);
    }

    const stranger = await createKey((await createOrg("top-stranger")).id);
    expect((await call("", `Bearer ${stranger.secret}`)).status).toBe(404);
    expect((await call("", "Bearer nope")).status).toBe(401);
    expect(postTop().status).toBe(405);
  });
});
