import { seededRandom as random } from "../../scripts/seeded-random";

/**
 * Malformed and hostile requests for every API route: the fuzz harness
 * (bench/reliability.ts, thousands of cases) and its fast subset in the e2e run
 * (e2e/fuzz.spec.ts). Deterministic: the same seed gives the same cases.
 */

export type FuzzCase = {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
};

export type FuzzTargets = { org: string; otherOrg: string; eventId: string; apiKey: string };

export const HOSTILE_STRINGS: string[] = [
  "",
  " ",
  "' OR 1=1 --",
  "'; drop table audit_events; --",
  '" or ""="',
  "1; select pg_sleep(10)",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "=HYPERLINK(\"http://evil.test\",\"x\")",
  "@SUM(1+1)",
  "a\u0000b",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "аcme",
  "ａｃｍｅ",
  "acme\u200b",
  "e\u0301",
  "🔥".repeat(300),
  "x".repeat(5000),
  "x".repeat(100_000),
  "%00",
  "%",
  "_",
  "\\",
  "../../etc/passwd",
  "${7*7}",
  "{{7*7}}",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "9".repeat(400),
  "2026-02-30T00:00:00Z",
  "0000-00-00T00:00:00Z",
  "2026-11-20T25:61:61Z",
  "\n\r\t",
  "action:",
  'action:"unclosed',
  "-",
  "ip:300.1.1.1",
  "ip:10.0.0.0/33",
  "occurred:>99999999d",
  "occurred:2026-13-01",
  "foo:bar",
  "actor:" + "a".repeat(3000),
];

const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.1,
  [],
  {},
  [[[[[]]]]],
  { $ne: null },
  { __proto__: { admin: true } },
];

function goodEvent(): Record<string, unknown> {
  return {
    action: "document.shared",
    occurred_at: new Date(Date.now() - 60_000).toISOString(),
    actor: { type: "user", id: "u_fuzz" },
    targets: [{ type: "document", id: "doc_fuzz" }],
    metadata: { shared_with: "x@y.test" },
  };
}

const EVENT_PATHS: string[][] = [
  ["action"],
  ["occurred_at"],
  ["version"],
  ["actor"],
  ["actor", "type"],
  ["actor", "id"],
  ["actor", "name"],
  ["actor", "metadata"],
  ["targets"],
  ["targets", "0"],
  ["targets", "0", "type"],
  ["targets", "0", "id"],
  ["targets", "0", "metadata"],
  ["context"],
  ["context", "location"],
  ["context", "user_agent"],
  ["metadata"],
  ["metadata", "shared_with"],
  ["metadata", "<b>key</b>"],
  ["extra_field"],
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function deepNesting(depth: number): string {
  return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
}

const READ_PARAMS = ["q", "from", "to", "limit", "cursor", "order", "after_seq"];

/**
 * `count` cases spread over all routes. None may get a 5xx; every write must be
 * refused (4xx with the error JSON); a read with an odd but valid filter may succeed.
 */
export function fuzzCases(targets: FuzzTargets, count: number, seed = 1): FuzzCase[] {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const auth = { authorization: `Bearer ${targets.apiKey}` };
  const json = { ...auth, "content-type": "application/json" };
  const orgs = [targets.org, targets.otherOrg, "no-such-org", "00000000-0000-0000-0000-000000000000", "%27%20or%201%3D1", "..%2F..", "a".repeat(300)];
  const makers: (() => FuzzCase)[] = [
    () => {
      const event = goodEvent();
      const path = pick(EVENT_PATHS);
      const value = pick(HOSTILE_VALUES);
      // A hostile value that happens to be valid would be accepted; force a bad neighbour so the case must fail.
      setPath(event, path[0] === "actor" ? ["targets", "0", "id"] : ["actor", "id"], "");
      setPath(event, path, value);
      return { name: `event.${path.join(".")}=${JSON.stringify(value)?.slice(0, 40)}`, method: "POST", path: "/api/v1/events", headers: json, body: JSON.stringify({ organization_id: targets.org, event }) };
    },
    () => ({ name: "batch with one bad event", method: "POST", path: "/api/v1/events", headers: json, body: JSON.stringify({ organization_id: targets.org, events: [goodEvent(), goodEvent(), { ...goodEvent(), action: pick(HOSTILE_STRINGS) + "!" }] }) }),
    () => ({ name: "body not JSON", method: "POST", path: "/api/v1/events", headers: json, body: pick(["{", "[1,", "nul", "\u0000", "{'a':1}", "<xml/>", "Ω"]) }),
    () => ({ name: "invalid UTF-8", method: "POST", path: "/api/v1/events", headers: json, body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) }),
    () => ({ name: "deep nesting", method: "POST", path: "/api/v1/events", headers: json, body: deepNesting(pick([100, 5000, 50_000])) }),
    () => ({ name: "huge body", method: "POST", path: "/api/v1/events", headers: json, body: JSON.stringify({ organization_id: targets.org, event: goodEvent(), pad: "x".repeat(1_100_000) }) }),
    () => ({ name: "wrong content type", method: "POST", path: "/api/v1/events", headers: { ...auth, "content-type": pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) }, body: JSON.stringify({ event: goodEvent() }) }),
    () => ({ name: "forged auth", method: pick(["GET", "POST"]), path: pick(["/api/v1/events", `/api/v1/orgs/${targets.org}/events`, `/api/v1/orgs/${targets.org}/verify`]), headers: { "content-type": "application/json", authorization: pick(["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", `Bearer ${targets.apiKey}x`, `Bearer ${targets.apiKey.slice(0, -1)}`, "Bearer ot_demo_vendor_key_000000000000000%00", `bearer  ${"a".repeat(500)}`, "Token abc"]) }, body: JSON.stringify({ organization_id: targets.org, event: goodEvent() }) }),
    () => ({ name: "no auth", method: pick(["GET", "POST"]), path: pick(["/api/v1/events", `/api/v1/orgs/${targets.org}/events`, `/api/v1/orgs/${targets.org}/events/${targets.eventId}`, `/api/v1/orgs/${targets.org}/verify`]), headers: { "content-type": "application/json" }, body: JSON.stringify({ event: goodEvent() }) }),
    () => {
      const params = new URLSearchParams();
      const key = pick(READ_PARAMS);
      params.set(key, pick(HOSTILE_STRINGS.filter((s) => !s.includes("\u0000") && s.isWellFormed())).slice(0, 5000));
      if (key === "q") params.set("limit", pick(["-1", "0", "1001", "abc", "1e3"]));
      return { name: `search ${key}`, method: "GET", path: `/api/v1/orgs/${pick(orgs)}/events?${params}`, headers: auth };
    },
    () => ({ name: "bad cursor", method: "GET", path: `/api/v1/orgs/${targets.org}/events?cursor=${encodeURIComponent(pick(["x", "eyJ0IjoxfQ", Buffer.from(JSON.stringify({ t: "2026-01-01T00:00:00Z", i: "00000000-0000-0000-0000-000000000000", o: "other", f: "x" })).toString("base64url"), "a".repeat(2000), "%%%"]))}`, headers: auth }),
    () => ({ name: "bad event id", method: "GET", path: `/api/v1/orgs/${pick(orgs)}/events/${pick(["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%27--", "a".repeat(400), targets.eventId.toUpperCase().replace(/.$/, "Z")])}`, headers: auth }),
    () => ({ name: "other org's event", method: "GET", path: `/api/v1/orgs/${targets.otherOrg}/events/${targets.eventId}`, headers: auth }),
    () => ({ name: "wrong method", method: pick(["PUT", "DELETE", "PATCH"]), path: pick(["/api/v1/events", `/api/v1/orgs/${targets.org}/events`, `/api/v1/orgs/${targets.org}/verify`, `/api/v1/orgs/${targets.org}/events/${targets.eventId}`]), headers: json, body: "{}" }),
    () => ({ name: "export with bad filter", method: "GET", path: `/api/v1/orgs/${pick(orgs)}/events/export.csv?q=${encodeURIComponent(pick(HOSTILE_STRINGS.filter((s) => s.includes(":") || s.startsWith("-"))))}`, headers: auth }),
    () => ({ name: "export job bad body", method: "POST", path: `/api/v1/orgs/${pick(orgs)}/exports`, headers: json, body: JSON.stringify({ q: pick(["foo:bar", 'a"', "action:"]), format: pick(["csv", "xlsx", "", null, 1]) }) }),
    () => ({ name: "export id", method: "GET", path: `/api/v1/orgs/${pick(orgs)}/exports/${pick(["x", "00000000-0000-0000-0000-000000000000", "'--"])}`, headers: auth }),
    () => ({ name: "schema bad body", method: "POST", path: "/api/v1/schemas", headers: json, body: JSON.stringify({ action: pick(HOSTILE_STRINGS), metadata_schema: pick([{ type: "nope" }, "x", [], { properties: 5 }]) }) }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const c = makers[i % makers.length]!();
    // HTTP clients refuse a body on GET, so a GET case carries none.
    return { ...c, name: `#${i} ${c.name}`, body: c.method === "GET" ? undefined : c.body };
  });
}
