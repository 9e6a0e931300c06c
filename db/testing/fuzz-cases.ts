import { createHash } from "node:crypto";
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

/** `orgId` is `org`'s id: a forged cursor must name it to get past the organization check. */
export type FuzzTargets = { org: string; orgId: string; otherOrg: string; eventId: string; apiKey: string };

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
  "occurred:>999999d",
  "occurred:<999999h",
  "occurred:0000-01-01",
  "occurred:9999-12-31",
  "occurred:>=0001-01-01T00:00:00+01:00",
  "occurred:2020-01-01..9999-12-31T23:59:59-01:00",
  "occurred:2026-13-01",
  "action:user.*\u0000",
  "actor:\u0000",
  '"x\u0000y"',
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00+01:00",
  "9999-12-31T23:59:59-01:00",
  "+010000-01-01T00:00:00Z",
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

/** Filters PostgreSQL cannot take (a NUL, times outside years 1 to 9999, relative times reaching back millennia). */
const OUT_OF_RANGE_FILTERS: Record<string, string>[] = [
  { q: "a\u0000b" },
  { q: "action:user.* actor:ada\u0000" },
  { q: '-"x\u0000"' },
  { q: "occurred:0000-01-01" },
  { q: "occurred:9999-12-31" },
  { q: "occurred:>999999d" },
  { q: "-occurred:<999999h" },
  { q: "occurred:..9999-12-31T23:59:59-01:00" },
  { from: "0000-01-01T00:00:00Z" },
  { from: "0001-01-01T00:00:00+01:00" },
  { to: "9999-12-31T23:59:59-01:00" },
];

/** The widest filters that are still valid: a read may answer 200, but within bounds (at most 500 histogram buckets). */
const EXTREME_FILTERS: Record<string, string>[] = [
  { from: "0001-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z" },
  { from: "9999-12-31T23:59:59Z", to: "0001-01-01T00:00:00Z" },
  { q: "occurred:0001-01-01..9999-12-30 occurred:>36500d" },
];

/** Every route that takes the event filter (q, from, to). */
const FILTER_ROUTES = ["events", "events/facets", "events/top", "events/histogram", "exports/estimate", "events/export.csv", "events/export.ndjson"];

/** A cursor as the API makes them, for the vendor key's unfiltered newest-first search (lib/events/cursor.ts, lib/events/search.ts), at any time. */
function forgedCursor(orgId: string, occurredAt: string): string {
  const fingerprint = createHash("sha256").update(JSON.stringify(["", "", "", "desc", null])).digest("base64url").slice(0, 16);
  return Buffer.from(JSON.stringify({ t: occurredAt, i: "019a0000-0000-7000-8000-000000000001", o: orgId, f: fingerprint })).toString("base64url");
}

/** An event whose metadata (or actor's, or target's) holds an own `__proto__` key: written as JSON text, which JavaScript objects cannot hold. */
function protoMetadataBody(org: string, place: "metadata" | "actor" | "target"): string {
  const event = goodEvent();
  const marker = '"__proto_marker__":"x"';
  if (place === "actor") (event.actor as Record<string, unknown>).metadata = { __proto_marker__: "x" };
  else if (place === "target") (event.targets as Record<string, unknown>[])[0]!.metadata = { __proto_marker__: "x" };
  else event.metadata = { __proto_marker__: "x" };
  return JSON.stringify({ organization_id: org, event }).replace(marker, '"__proto__":"x"');
}

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
      params.set(key, pick(HOSTILE_STRINGS.filter((s) => s.isWellFormed())).slice(0, 5000));
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
    () => {
      const filter = pick([...OUT_OF_RANGE_FILTERS, ...EXTREME_FILTERS]);
      return { name: `extreme filter ${JSON.stringify(filter)}`, method: "GET", path: `/api/v1/orgs/${targets.org}/${pick(FILTER_ROUTES)}?${new URLSearchParams(filter)}`, headers: auth };
    },
    () => ({ name: "export job out-of-range filter", method: "POST", path: `/api/v1/orgs/${targets.org}/exports`, headers: json, body: JSON.stringify({ ...pick(OUT_OF_RANGE_FILTERS), format: "csv" }) }),
    () => ({ name: "NUL in the org reference", method: "GET", path: `/api/v1/orgs/${pick([`${targets.org}%00`, "%00", `%00${targets.org}`])}/${pick(FILTER_ROUTES)}`, headers: auth }),
    () => ({ name: "NUL in a path segment", method: "GET", path: pick([`/api/v1/schemas/document.shared%00`, `/api/v1/schemas/document.shared/versions/1%00`, `/api/v1/orgs/${targets.org}/events/${targets.eventId}%00`, `/api/v1/orgs/${targets.org}/exports/%00`]), headers: auth }),
    () => ({ name: "NUL in organization_id", method: "POST", path: "/api/v1/events", headers: json, body: JSON.stringify({ organization_id: `${targets.org}\u0000`, event: goodEvent() }) }),
    () => ({ name: "forged cursor out of range", method: "GET", path: `/api/v1/orgs/${targets.org}/events?cursor=${forgedCursor(targets.orgId, pick(["0000-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "9999-12-31T23:59:59-01:00"]))}`, headers: auth }),
    () => ({ name: "__proto__ metadata", method: "POST", path: "/api/v1/events", headers: json, body: protoMetadataBody(targets.org, pick(["metadata", "actor", "target"] as const)) }),
    () => ({ name: "unknown API path", method: pick(["GET", "POST", "PUT", "PATCH", "DELETE"]), path: pick(["/api/v1/nope", `/api/v1/orgs/${targets.org}/nope`, `/api/v1/orgs/${targets.org}/events/${targets.eventId}/extra`, "/api/v1/events/x/y/z"]), headers: json, body: "{}" }),
    () => ({ name: "foreign-origin server action", method: "POST", path: `/orgs/${targets.org}/settings/api-keys`, headers: { "content-type": "text/plain;charset=UTF-8", "next-action": "0".repeat(40), origin: pick(["https://evil.test", "null", "http://localhost.evil.test"]) }, body: '["x"]' }),
    () => ({ name: "schema bad body", method: "POST", path: "/api/v1/schemas", headers: json, body: JSON.stringify({ action: pick(HOSTILE_STRINGS), metadata_schema: pick([{ type: "nope" }, "x", [], { properties: 5 }]) }) }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const c = makers[i % makers.length]!();
    // HTTP clients refuse a body on GET, so a GET case carries none.
    return { ...c, name: `#${i} ${c.name}`, body: c.method === "GET" ? undefined : c.body };
  });
}
