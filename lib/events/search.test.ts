import { beforeAll, describe, expect, it } from "vitest";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { AppError } from "@/lib/errors";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { GET } from "@/app/api/v1/orgs/[org]/events/route";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { estimateTotal, histogram } from "./facets";
import { ingest } from "./ingest";
import { eventsAfterSeq, eventsForStream, firstSeqOccurredSince, searchEvents, type SearchParams } from "./search";
import type { AuditEvent } from "./types";
import { httpStatus } from "@/lib/api/error-response";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString();

/** The seeded log: each event has a `n` in its metadata, so a result can be named by its numbers. */
const SEEDED = [
  event({ action: "user.signed_in", occurred_at: ago(1 * HOUR), actor: { type: "user", id: "u_ada", name: "Ada Lovelace", metadata: { email: "ada@acme.test" } }, targets: [], context: { location: "203.0.113.7" }, metadata: { n: 0, method: "password" } }),
  event({ action: "user.signed_out", occurred_at: ago(2 * HOUR), actor: { type: "user", id: "u_ada", name: "Ada Lovelace" }, targets: [], context: { location: "10.1.2.3" }, metadata: { n: 1 } }),
  event({ action: "document.shared", occurred_at: ago(3 * HOUR), actor: { type: "user", id: "u_bob", name: "Bob Byte" }, targets: [{ type: "document", id: "doc_7", name: "Q3 invoice plan" }], context: { location: "10.200.0.1" }, metadata: { n: 2, shared_with: "finance@acme.test" } }),
  event({ action: "document.deleted", occurred_at: ago(2 * DAY), actor: { type: "user", id: "u_bob", name: "Bob Byte" }, targets: [{ type: "document", id: "doc_8", name: "Old notes" }], context: { location: "2001:db8::5" }, metadata: { n: 3 } }),
  event({ action: "billing.invoice_paid", occurred_at: ago(10 * DAY), actor: { type: "service", id: "svc_billing", name: "Billing bot" }, targets: [{ type: "invoice", id: "inv_1", name: "Invoice 1" }], context: {}, metadata: { n: 4, amount_cents: 1200 } }),
  event({ action: "user.role_changed", occurred_at: ago(20 * DAY), actor: { type: "user", id: "u_ada", name: "Ada Lovelace" }, targets: [{ type: "user", id: "u_member", name: "Mo Member" }], context: { location: "203.0.113.8" }, metadata: { n: 5, role_to: "admin" } }),
  event({ action: "document.viewed", occurred_at: ago(40 * DAY), actor: { type: "user", id: "u_member", name: "Mo Member" }, targets: [{ type: "document", id: "doc_7", name: "Q3 invoice plan" }], context: { location: "10.9.9.9" }, metadata: { n: 6 } }),
  event({ action: "test.literal", occurred_at: ago(41 * DAY), actor: { type: "bot", id: "bot_1" }, targets: [], context: {}, metadata: { n: 7, note: "50%_off" } }),
];

let scope: Scope;
let memberScope: Scope;
let principal: ApiKeyPrincipal;
let slug: string;

async function numbers(params: Partial<SearchParams>, as: Scope = scope): Promise<number[]> {
  const page = await searchEvents(as, { limit: 1000, order: "desc", ...params }, new Date(now));
  return page.data.map((e) => e.metadata.n as number).sort((a, b) => a - b);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function append(events: Record<string, unknown>[]): Promise<void> {
  await ingest(principal, { events }, null);
}

beforeAll(async () => {
  const org = await createOrg("search");
  slug = org.slug;
  principal = (await createKey(org.id)).principal;
  await append(SEEDED);
  scope = await resolveOrgScope(principal, org.slug);
  memberScope = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.slug);
});

describe("searchEvents filters", () => {
  it.each<[string, string, number[]]>([
    ["exact action", "action:user.signed_in", [0]],
    ["action prefix", "action:user.*", [0, 1, 5]],
    ["action prefix with a partial word", "action:document.sh*", [2]],
    ["same key twice is OR", "action:user.signed_in action:document.deleted", [0, 3]],
    ["different keys are AND", "action:document.* actor:u_bob", [2, 3]],
    ["actor by id", "actor:u_ada", [0, 1, 5]],
    ["actor by type and id", "actor:user:u_ada", [0, 1, 5]],
    ["actor by type and id: the type must match", "actor:service:u_ada", []],
    ["actor by type and id: a service", "actor:service:svc_billing", [4]],
    ["actor by name, any case", 'actor:"ada lovelace"', [0, 1, 5]],
    ["actor by email", "actor:ada@acme.test", [0]],
    ["actor.id", "actor.id:svc_billing", [4]],
    ["actor.type", "actor.type:service", [4]],
    ["target type", "target:document", [2, 3, 6]],
    ["target type and id", "target:document:doc_7", [2, 6]],
    ["target id under another type does not match", "target:invoice:doc_7", []],
    ["ip exact", "ip:203.0.113.7", [0]],
    ["ip CIDR v4", "ip:10.0.0.0/8", [1, 2, 6]],
    ["ip CIDR v6", "ip:2001:db8::/32", [3]],
    ["relative time", "occurred:>24h", [0, 1, 2]],
    ["older than", "occurred:<30d", [6, 7]],
    ["absolute day range", `occurred:${ago(11 * DAY).slice(0, 10)}..${ago(9 * DAY).slice(0, 10)}`, [4]],
    ["negation", "-action:user.*", [2, 3, 4, 6, 7]],
    ["negated ip keeps events without ip", "-ip:10.0.0.0/8", [0, 3, 4, 5, 7]],
    ["negated actor name keeps events without a name", '-actor:"Bob Byte"', [0, 1, 4, 5, 6, 7]],
    ["free text over target names", "invoice", [2, 4, 6]],
    ["free text over metadata values", "finance@acme", [2]],
    ["free text is case-insensitive", "BILLING", [4]],
    ["quoted phrase", '"q3 invoice plan"', [2, 6]],
    ["every word must match", "invoice plan", [2, 6]],
    ["LIKE wildcards are literal", "50%_off", [7]],
    ["a wildcard alone matches only itself", "%", [7]],
    ["no match", "nothing-like-this", []],
  ])("%s: %s", async (_name, q, expected) => {
    expect(await numbers({ q })).toEqual(expected);
  });

  it("from and to bound the time range (from inclusive, to exclusive)", async () => {
    expect(await numbers({ from: new Date(now - 3 * DAY), to: new Date(now - 2 * HOUR) })).toEqual([2, 3]);
    expect(await numbers({ from: new Date(now - 1 * HOUR) })).toEqual([0]);
  });

  it("a member sees only events naming them, whatever the query", async () => {
    expect(await numbers({}, memberScope)).toEqual([5, 6]);
    expect(await numbers({ q: "actor:u_ada" }, memberScope)).toEqual([5]);
    expect(await numbers({ q: "invoice" }, memberScope)).toEqual([6]);
    expect(await numbers({ q: "-target:user" }, memberScope)).toEqual([6]);
  });

  it("a bad query is a 400 naming the term by position", async () => {
    const q = "action:user.* colour:blue";
    const error = await rejection(searchEvents(scope, { q, limit: 10, order: "desc" }));
    expect(httpStatus(error)).toBe(400);
    expect(error.issues?.[0]?.path).toBe("q[14:25]");
    expect(q.slice(14, 25)).toBe("colour:blue");
  });
});

describe("ordering and cursors", () => {
  async function allPages(params: Omit<SearchParams, "cursor">, as: Scope = scope, between?: () => Promise<void>): Promise<AuditEvent[]> {
    const seen: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchEvents(as, { ...params, cursor });
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
      if (between) await between();
    } while (cursor);
    return seen;
  }

  it("orders newest first by default and oldest first with order=asc, ties broken by id", async () => {
    const desc = (await searchEvents(scope, { limit: 100, order: "desc" })).data;
    const asc = (await searchEvents(scope, { limit: 100, order: "asc" })).data;
    const key = (e: AuditEvent) => `${e.occurred_at}|${e.id}`;
    expect(desc.map(key)).toEqual([...desc.map(key)].sort().reverse());
    expect(asc.map((e) => e.id)).toEqual([...desc].reverse().map((e) => e.id));
  });

  it.each(["desc", "asc"] as const)("pages of 3 (%s) cover every event exactly once", async (order) => {
    const whole = (await searchEvents(scope, { limit: 1000, order, q: "-action:test.*" })).data;
    const paged = await allPages({ limit: 3, order, q: "-action:test.*" });
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
  });

  it("events with the same occurred_at are neither skipped nor repeated across pages", async () => {
    const org = await createOrg("ties");
    const { principal: key } = await createKey(org.id);
    const at = ago(5 * HOUR);
    await ingest(key, { events: Array.from({ length: 7 }, (_, i) => event({ occurred_at: at, metadata: { n: i } })) }, null);
    const tieScope = await resolveOrgScope(key, org.slug);
    const paged = await allPages({ limit: 2, order: "desc" }, tieScope);
    expect(new Set(paged.map((e) => e.id)).size).toBe(7);
    expect(paged).toHaveLength(7);
  });

  it.each(["desc", "asc"] as const)("a cursor stays stable while newer events arrive (%s)", async (order) => {
    const org = await createOrg("live");
    const { principal: key } = await createKey(org.id);
    const base = Array.from({ length: 20 }, (_, i) => event({ occurred_at: ago((30 - i) * HOUR), metadata: { n: i } }));
    await ingest(key, { events: base }, null);
    const liveScope = await resolveOrgScope(key, org.slug);
    const from = new Date(now - 31 * HOUR);
    let inserted = 0;
    const paged = await allPages({ limit: 4, order, from }, liveScope, async () => {
      inserted += 1;
      await ingest(key, { events: [event({ occurred_at: new Date().toISOString(), metadata: { n: 100 + inserted } })] }, null);
    });
    const ids = paged.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const original = paged.filter((e) => (e.metadata.n as number) < 100).map((e) => e.metadata.n);
    // Every original event exactly once, in order; newer arrivals only ever after the cursor in ascending order.
    expect(original).toEqual(order === "desc" ? base.map((_, i) => 19 - i) : base.map((_, i) => i));
    if (order === "desc") expect(paged.every((e) => (e.metadata.n as number) < 100)).toBe(true);
  });

  it("a cursor cannot be reused with another filter or organization", async () => {
    const first = await searchEvents(scope, { limit: 2, order: "desc" });
    expect(first.next_cursor).toBeTruthy();
    const otherFilter = await rejection(searchEvents(scope, { limit: 2, order: "desc", q: "action:user.*", cursor: first.next_cursor! }));
    expect(httpStatus(otherFilter)).toBe(400);
    const otherOrder = await rejection(searchEvents(scope, { limit: 2, order: "asc", cursor: first.next_cursor! }));
    expect(httpStatus(otherOrder)).toBe(400);
    const otherOrg = await rejection(searchEvents(memberScope, { limit: 2, order: "desc", cursor: first.next_cursor! }));
    expect([400, 404]).toContain(httpStatus(otherOrg));
  });
});

describe("after_seq pull feed", () => {
  it("returns every seq once, in order, while events keep arriving", async () => {
    const org = await createOrg("feed");
    const { principal: key } = await createKey(org.id);
    await ingest(key, { events: Array.from({ length: 25 }, (_, i) => event({ metadata: { n: i } })) }, null);
    const feedScope = await resolveOrgScope(key, org.slug);
    const seqs: number[] = [];
    let after = 0;
    let writes = 0;
    for (let round = 0; round < 40; round++) {
      const page = await eventsAfterSeq(feedScope, after, 4);
      seqs.push(...page.data.map((e) => e.seq));
      after = page.last_seq;
      // Concurrent writers while the feed is read: both batch and single appends.
      if (writes < 5) {
        writes += 1;
        await Promise.all([ingest(key, { events: [event(), event()] }, null), ingest(key, { event: event() }, null)]);
      }
      if (page.data.length === 0 && writes >= 5) break;
    }
    expect(seqs).toEqual(Array.from({ length: 25 + 5 * 3 }, (_, i) => i + 1));
  });

  it("is an HTTP 200 with last_seq, and a bad after_seq is a 400", async () => {
    const { secret } = await createKey((await resolveOrgScope(principal, slug)).organization.id);
    const get = (query: string) => GET(new Request(`http://localhost/api/v1/orgs/${slug}/events?${query}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({ org: slug }) });
    const ok = await get("after_seq=5&limit=2");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { data: AuditEvent[]; last_seq: number };
    expect(body.data.map((e) => e.seq)).toEqual([6, 7]);
    expect(body.last_seq).toBe(7);
    const bad = await get("after_seq=-1");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe("after_seq");
    const badQuery = await get(`q=${encodeURIComponent('"unclosed')}`);
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toMatch(/^q\[0:\d+\]$/);
  });
});

describe("log stream reads", () => {
  const streamRead = (as: Scope, afterSeq: number, upToSeq: number, q: string, limit = 100) => eventsForStream(as, { afterSeq, upToSeq, q, limit });

  it("reads the events after the cursor up to the head that match the filter, in seq order, within the scope", async () => {
    const all = await streamRead(scope, 0, Number.MAX_SAFE_INTEGER, "");
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    const seqOf = (n: number) => all.find((e) => e.metadata.n === n)!.seq;
    const documents = await streamRead(scope, seqOf(2), seqOf(6) - 1, "action:document.*");
    expect(documents.map((e) => e.metadata.n)).toEqual([3]);
    expect((await streamRead(scope, 0, Number.MAX_SAFE_INTEGER, "", 2)).map((e) => e.seq)).toEqual(all.slice(0, 2).map((e) => e.seq));
    expect((await streamRead(memberScope, 0, Number.MAX_SAFE_INTEGER, "")).map((e) => e.metadata.n).sort()).toEqual([5, 6]);
  });

  it("finds where a replay from a time starts, within the scope", async () => {
    const all = await streamRead(scope, 0, Number.MAX_SAFE_INTEGER, "");
    const seqOf = (n: number) => all.find((e) => e.metadata.n === n)!.seq;
    expect(await firstSeqOccurredSince(scope, new Date(now - 2.5 * HOUR))).toBe(Math.min(seqOf(0), seqOf(1)));
    expect(await firstSeqOccurredSince(memberScope, new Date(now - 50 * DAY))).toBe(Math.min(seqOf(5), seqOf(6)));
    expect(await firstSeqOccurredSince(memberScope, new Date(now - 30 * DAY))).toBe(seqOf(5));
    expect(await firstSeqOccurredSince(scope, new Date(now + HOUR))).toBeNull();
  });
});

describe("actor:X read as its id, name and email alternatives (queryFilter)", () => {
  const V = "pat@acme.test";
  // `matches`: whether actor:V names the event. Listed newest first.
  const LOG = [
    { matches: true, actor: { type: "user", id: V } },
    { matches: true, actor: { type: "user", id: "u_pat", name: "Pat", metadata: { email: V } } },
    { matches: true, actor: { type: "service", id: "u_other", name: V } },
    // By id and by email (another case): read once.
    { matches: true, actor: { type: "user", id: V, metadata: { email: "PAT@acme.test" } } },
    { matches: false, actor: { type: "user", id: "u_nope", name: "Nope", metadata: { email: "nope@acme.test" } } },
    // No name: the email's alternative excludes the name's matches with a NULL name, which must not drop it.
    { matches: true, actor: { type: "user", id: "u_q", metadata: { email: V } } },
    // All three ways.
    { matches: true, actor: { type: "user", id: V, name: V, metadata: { email: V } } },
    { matches: false, actor: { type: "user", id: "u_other", name: "Other" } },
  ];
  let actorScope: Scope;

  beforeAll(async () => {
    const org = await createOrg("alternatives");
    const key = (await createKey(org.id)).principal;
    // Two events a second, so the (occurred_at, id) order decides between events of the same instant.
    const events = LOG.map((e, i) =>
      event({ action: i % 2 ? "user.signed_in" : "user.signed_out", occurred_at: ago(Math.floor(i / 2) * 1000 + HOUR), actor: e.actor, targets: [], metadata: { n: 100 + i, i } }),
    );
    await ingest(key, { events }, null);
    actorScope = await resolveOrgScope(key, org.slug);
  });

  const order = async (q: string, direction: "asc" | "desc", limit: number) => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchEvents(actorScope, { q, limit, order: direction, cursor }, new Date(now));
      seen.push(...page.data.map((e) => e.metadata.i as number));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return seen;
  };

  it("returns every event matched any way once, in the order of the log, on any page size and in both directions", async () => {
    const all = await order("", "desc", 100);
    const expected = all.filter((i) => LOG[i]!.matches);
    expect(expected).toHaveLength(6);
    for (const limit of [1, 2, 3, 100]) {
      expect(await order(`actor:${V}`, "desc", limit), `limit ${limit}`).toEqual(expected);
      expect(await order(`actor:${V}`, "asc", limit), `limit ${limit}`).toEqual([...expected].reverse());
      // Ids match exactly, names and emails in any case: the event named only by its id drops out.
      expect(await order(`actor:${V.toUpperCase()}`, "desc", limit), `limit ${limit}`).toEqual(expected.filter((i) => i !== 0));
    }
  });

  it("combines with other terms, typed actors and a second actor value as the plain OR does", async () => {
    const all = await order("", "desc", 100);
    const matching = (test: (i: number) => boolean) => all.filter(test);
    const byV = (i: number) => LOG[i]!.matches;
    expect(await order(`actor:${V} action:user.signed_in`, "desc", 2)).toEqual(matching((i) => i % 2 === 1 && byV(i)));
    expect(await order(`actor:${V} -action:user.signed_in`, "desc", 2)).toEqual(matching((i) => i % 2 === 0 && byV(i)));
    expect(await order("actor:service:u_other", "desc", 1)).toEqual(matching((i) => i === 2));
    expect(await order(`actor:${V} actor:Other`, "desc", 2)).toEqual(matching((i) => byV(i) || i === 7));
    // Three values are nine alternatives: read as one OR, with the same result.
    expect(await order(`actor:${V} actor:Other actor:u_nope`, "desc", 2)).toEqual(all);
  });

  it("starts an all-time histogram at the oldest match, and counts each match once", async () => {
    const oldest = (await searchEvents(actorScope, { q: `actor:${V}`, limit: 1, order: "asc" }, new Date(now))).data[0]!;
    const result = await histogram(actorScope, { q: `actor:${V}` }, new Date(now));
    expect(result).toMatchObject({ from: oldest.occurred_at, total: 6, exact: true });
    expect(await estimateTotal(actorScope, { q: `actor:${V}` }, new Date(now))).toEqual({ count: 6, exact: true, method: "count" });
  });
});
