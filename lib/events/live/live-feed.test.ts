import { describe, expect, it } from "vitest";
import { resolveOrgScope } from "@/lib/access/scope";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { GET } from "@/app/api/v1/orgs/[org]/events/live/route";
import { sql } from "@/db/client";
import { recordAppEvent } from "../app-events";
import { ingest } from "../ingest";
import type { AuditEvent } from "../types";
import { liveStats, subscribeLive, type LiveHandlers } from "./live-feed";
import { MAX_STREAMS_PER_CALLER } from "./stream-slots";

/*
 * Live mode on a real database: commits notify (LISTEN/NOTIFY), groups read
 * once and fan out. Each test has its own organization, so groups never mix.
 */

async function setUp() {
  const org = await createOrg("live");
  const { principal } = await createKey(org.id);
  const scope = await resolveOrgScope(principal, org.slug);
  const send = async (...events: Record<string, unknown>[]) => (await ingest(principal, { events }, null)).body as { data: { seq: number }[] };
  return { org, scope, send };
}

/** A viewer that records what it is sent, and waits for it. */
function viewer() {
  const received: AuditEvent[] = [];
  const upTo: number[] = [];
  let resets = 0;
  const handlers: LiveHandlers = {
    send: (events, seq) => {
      received.push(...events);
      upTo.push(seq);
    },
    reset: () => {
      resets += 1;
    },
  };
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { handlers, received, upTo, resets: () => resets, until };
}

const actions = (events: AuditEvent[]) => events.map((e) => e.action);

describe("live feed", () => {
  it("pushes each new matching event once, oldest first, to every viewer of the query; one group serves them all", async () => {
    const { scope, send } = await setUp();
    const a = viewer();
    const b = viewer();
    const other = viewer();
    const stopA = await subscribeLive(scope, { q: "action:doc.*", afterSeq: null, since: null, from: null }, a.handlers);
    const stopB = await subscribeLive(scope, { q: "action:doc.*", afterSeq: null, since: null, from: null }, b.handlers);
    const stopOther = await subscribeLive(scope, { q: "", afterSeq: null, since: null, from: null }, other.handlers);
    const groupsBefore = liveStats().groups;
    await send(event({ action: "doc.opened" }), event({ action: "user.signed_in" }));
    await send(event({ action: "doc.closed" }));
    await a.until(() => a.received.length >= 2, "two doc events");
    await other.until(() => other.received.length >= 3, "three events");
    expect(actions(a.received)).toEqual(["doc.opened", "doc.closed"]);
    expect(actions(b.received)).toEqual(["doc.opened", "doc.closed"]);
    expect(actions(other.received)).toEqual(["doc.opened", "user.signed_in", "doc.closed"]);
    expect(a.upTo.at(-1)).toBe(3);
    stopA();
    stopB();
    stopOther();
    expect(liveStats().groups).toBe(groupsBefore - 2);
  });

  it("catches up from after_seq, then follows; events before the window's start are left out", async () => {
    const { scope, send } = await setUp();
    await send(event({ action: "doc.a" }), event({ action: "doc.b" }), event({ action: "doc.c" }));
    const v = viewer();
    const stop = await subscribeLive(scope, { q: "", afterSeq: 1, since: null, from: new Date(Date.now() - 60_000) }, v.handlers);
    expect(actions(v.received)).toEqual(["doc.b", "doc.c"]);
    await send(event({ action: "doc.old", occurred_at: new Date(Date.now() - 3_600_000).toISOString() }), event({ action: "doc.d" }));
    await v.until(() => v.received.length >= 3, "doc.d");
    expect(actions(v.received)).toEqual(["doc.b", "doc.c", "doc.d"]);
    stop();
  });

  it("a member's viewer gets only their own events", async () => {
    const { org, scope, send } = await setUp();
    const member = await resolveOrgScope(await createUser(org.id, "member", "u_mo"), org.slug);
    const mine = viewer();
    const all = viewer();
    const stopMine = await subscribeLive(member, { q: "", afterSeq: null, since: null, from: null }, mine.handlers);
    const stopAll = await subscribeLive(scope, { q: "", afterSeq: null, since: null, from: null }, all.handlers);
    await send(event({ action: "doc.theirs", actor: { type: "user", id: "u_other" } }), event({ action: "doc.mine", actor: { type: "user", id: "u_mo" } }));
    await all.until(() => all.received.length >= 2, "both events");
    await mine.until(() => mine.received.length >= 1, "the member's event");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(actions(mine.received)).toEqual(["doc.mine"]);
    stopMine();
    stopAll();
  });

  it("tells the viewer to reload when more arrived than live mode carries, then follows from there", async () => {
    const { scope, send } = await setUp();
    await send(...Array.from({ length: 1000 }, () => event()));
    await send(...Array.from({ length: 1000 }, () => event()));
    await send(...Array.from({ length: 1 }, () => event()));
    const v = viewer();
    const stop = await subscribeLive(scope, { q: "", afterSeq: 0, since: null, from: null }, v.handlers);
    expect(v.resets()).toBe(1);
    expect(v.received).toEqual([]);
    const near = viewer();
    const stopNear = await subscribeLive(scope, { q: "", afterSeq: 2, since: null, from: null }, near.handlers);
    expect(near.resets()).toBe(0);
    expect(near.received.map((e) => e.seq)).toEqual(Array.from({ length: 1999 }, (_, i) => i + 3));
    await send(event({ action: "doc.next" }));
    await v.until(() => v.received.length >= 1, "doc.next");
    expect(actions(v.received)).toEqual(["doc.next"]);
    stop();
    stopNear();
  });
});

describe("live feed edges", () => {
  it("two members whose ids and queries join to the same text never share a group", async () => {
    const { org, send } = await setUp();
    const alice = await resolveOrgScope(await createUser(org.id, "member", "team|alice"), org.slug);
    const team = await resolveOrgScope(await createUser(org.id, "member", "team"), org.slug);
    const a = viewer();
    const t = viewer();
    const stopA = await subscribeLive(alice, { q: "", afterSeq: null, since: null, from: null }, a.handlers);
    const stopT = await subscribeLive(team, { q: "alice|", afterSeq: null, since: null, from: null }, t.handlers);
    await send(event({ action: "doc.alice_private", actor: { type: "user", id: "team|alice" } }));
    await a.until(() => a.received.length >= 1, "alice's event");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(actions(a.received)).toEqual(["doc.alice_private"]);
    expect(t.received).toEqual([]);
    stopA();
    stopT();
  });

  it("a viewer shown nothing starts from the moment its list was read (since), not from when it connects", async () => {
    const { scope, send } = await setUp();
    await send(event({ action: "doc.before_list" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const listReadAt = new Date();
    await send(event({ action: "doc.between" }));
    const v = viewer();
    const stop = await subscribeLive(scope, { q: "", afterSeq: null, since: listReadAt, from: null }, v.handlers);
    expect(actions(v.received)).toEqual(["doc.between"]);
    stop();
  });

  it("Orgtrail's own events, written inside other transactions, reach live viewers at their commit", async () => {
    const { org, scope } = await setUp();
    const v = viewer();
    const stop = await subscribeLive(scope, { q: "action:orgtrail.*", afterSeq: null, since: null, from: null }, v.handlers);
    await sql().begin((tx) => recordAppEvent(tx, org.id, { action: "orgtrail.setting.changed", actor: { type: "system", id: "live-test" }, targets: [], metadata: { key: "live.test" } }));
    await v.until(() => v.received.length >= 1, "the app event");
    expect(actions(v.received)).toEqual(["orgtrail.setting.changed"]);
    stop();
  });

  it("the last viewer leaving stops the group: no timer, listener or read is left behind", async () => {
    const { scope, send } = await setUp();
    const before = liveStats();
    const v = viewer();
    const stop = await subscribeLive(scope, { q: "action:edge.*", afterSeq: null, since: null, from: null }, v.handlers);
    expect(liveStats().groups).toBe(before.groups + 1);
    stop();
    expect(liveStats()).toEqual(before);
    await send(event({ action: "edge.after_stop" }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(v.received).toEqual([]);
    expect(liveStats()).toEqual(before);
  });
});

describe("GET /api/v1/orgs/{org}/events/live", () => {
  const get = (secret: string, path: string, headers: Record<string, string> = {}) => {
    const controller = new AbortController();
    const org = new URL(`http://localhost${path}`).pathname.split("/")[4]!;
    const response = GET(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${secret}`, ...headers }, signal: controller.signal }), { params: Promise.resolve({ org }) });
    return { response, abort: () => controller.abort() };
  };

  it("streams Server-Sent Events: the new events with their seq as the id, resuming after Last-Event-ID", async () => {
    const { org, send } = await setUp();
    const { secret } = await createKey(org.id, ["events:read"]);
    await send(event({ action: "doc.before" }));
    const { response, abort } = get(secret, `/api/v1/orgs/${org.slug}/events/live?q=action:doc.*`, { "last-event-id": "0" });
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    let text = "";
    const decoder = new TextDecoder();
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 5_000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no ${needle} in ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended without ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil("doc.before");
    expect(text).toMatch(/^retry: \d+\n\nid: 1\nevent: events\ndata: \[/);
    await send(event({ action: "doc.after" }));
    await readUntil("doc.after");
    expect(text).toContain("id: 2\nevent: events");
    abort();
    await reader.cancel().catch(() => {});
  });

  it("one caller holds at most MAX_STREAMS_PER_CALLER streams: the next is a 429 until one closes", async () => {
    const { org } = await setUp();
    const { secret } = await createKey(org.id, ["events:read"]);
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS_PER_CALLER }, async () => {
      const stream = get(secret, `/api/v1/orgs/${org.slug}/events/live`);
      expect((await stream.response).status).toBe(200);
      return stream;
    }));
    const refused = await get(secret, `/api/v1/orgs/${org.slug}/events/live`).response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    const other = await createKey(org.id, ["events:read"]);
    const elsewhere = get(other.secret, `/api/v1/orgs/${org.slug}/events/live`);
    expect((await elsewhere.response).status).toBe(200);
    elsewhere.abort();
    streams[0]!.abort();
    const again = get(secret, `/api/v1/orgs/${org.slug}/events/live`);
    expect((await again.response).status).toBe(200);
    for (const stream of [...streams.slice(1), again]) stream.abort();
  });

  it("refuses a bad query (400), a stranger (404) and a key that cannot read (404) before any stream opens", async () => {
    const { org } = await setUp();
    const { secret } = await createKey(org.id, ["events:read"]);
    const bad = await get(secret, `/api/v1/orgs/${org.slug}/events/live?q=bogus:term`).response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_query");
    const stranger = await createKey((await createOrg()).id, ["events:read"]);
    expect((await get(stranger.secret, `/api/v1/orgs/${org.slug}/events/live`).response).status).toBe(404);
    const writer = await createKey(org.id, ["events:write"]);
    expect((await get(writer.secret, `/api/v1/orgs/${org.slug}/events/live`).response).status).toBe(404);
  });
});

