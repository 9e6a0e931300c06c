import { describe, it, expect } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { parseQuery } from "./query-language";
import type { Scope } from "@/lib/access/scope";
import { escapeLike, queryFilter } from "./query-sql";
import { visibleEvents } from "./store/visible-events";

const dialect = new PgDialect();
const NOW = new Date("2026-11-10T12:00:00.000Z");

// Conditions are pure SQL over the read's `events` subquery: a whole-log scope is enough to build them.
const events = visibleEvents({ organization: { id: "00000000-0000-0000-0000-000000000000" }, permissions: new Set(["events.read.all"]) } as unknown as Scope);
const T = '"events"';
const col = (name: string) => `${T}."${name}"`;
/** occurred_at past $1 (by `op`) with received_at at or after $2, as occurredSince renders them. */
const since = (op: ">=" | ">") => `(${col("occurred_at")} ${op} $1 and ${col("received_at")} >= $2)`;

function render(query: string, now = NOW): { sql: string; params: unknown[] } {
  const condition = queryFilter(events, parseQuery(query), now).where;
  if (!condition) throw new Error(`no condition for ${JSON.stringify(query)}`);
  const { sql, params } = dialect.sqlToQuery(condition);
  return { sql, params };
}

describe("escapeLike", () => {
  it("escapes %, _ and backslash", () => {
    expect(escapeLike("100%_a\\b")).toBe("100\\%\\_a\\\\b");
    expect(escapeLike("plain.text")).toBe("plain.text");
  });
});

describe("queryFilter: where", () => {
  it("is undefined for an empty query", () => {
    expect(queryFilter(events, parseQuery(""), NOW)).toEqual({ where: undefined });
    expect(queryFilter(events, parseQuery("   "), NOW)).toEqual({ where: undefined });
  });

  it("matches an exact action with =", () => {
    expect(render("action:user.signed_in")).toEqual({ sql: `${col("action")} = $1`, params: ["user.signed_in"] });
  });

  it("matches an action prefix as a byte-wise range that starts at the literal prefix (no LIKE wildcards to escape)", () => {
    const range = `(${col("action")} ~>=~ $1 and ${col("action")} ~<~ $2)`;
    expect(render("action:user.*")).toEqual({ sql: range, params: ["user.", "user/"] });
    expect(render("action:api_key.*")).toEqual({ sql: range, params: ["api_key.", "api_key/"] });
    expect(render("action:user.sign*")).toEqual({ sql: range, params: ["user.sign", "user.sigo"] });
  });

  it("matches an actor by id, name or email, case-insensitively for name and email", () => {
    expect(render('actor:"Ada Lovelace"')).toEqual({
      sql: `(${col("actor_id")} = $1 or lower(${col("actor_name")}) = lower($2) or lower(${col("actor_metadata")}->>'email') = lower($3))`,
      params: ["Ada Lovelace", "Ada Lovelace", "Ada Lovelace"],
    });
  });

  it("matches actor.id and actor.type exactly", () => {
    expect(render("actor.id:u_1")).toEqual({ sql: `${col("actor_id")} = $1`, params: ["u_1"] });
    expect(render("actor.type:user")).toEqual({ sql: `${col("actor_type")} = $1`, params: ["user"] });
  });

  it("matches a target type with array containment", () => {
    expect(render("target:document")).toEqual({ sql: `${col("target_types")} @> array[$1]::text[]`, params: ["document"] });
  });

  it("matches a target type and id with the id array and a bound jsonb pattern", () => {
    const { sql, params } = render('target:document:"doc \'7\'"');
    expect(sql).toBe(`(${col("target_ids")} @> array[$1]::text[] and ${col("targets")} @> $2::jsonb)`);
    expect(params).toEqual(["doc '7'", JSON.stringify([{ type: "document", id: "doc '7'" }])]);
    expect(JSON.parse(params[1] as string)).toEqual([{ type: "document", id: "doc '7'" }]);
  });

  it("matches an IP address as inet and a CIDR as a normalized cidr", () => {
    expect(render("ip:203.0.113.7")).toEqual({ sql: `${col("ip")} = $1::inet`, params: ["203.0.113.7"] });
    expect(render("ip:10.1.2.3/8")).toEqual({ sql: `${col("ip")} <<= $1::cidr`, params: ["10.0.0.0/8"] });
    expect(render("ip:2001:db8:abcd:1234::1/48")).toEqual({ sql: `${col("ip")} <<= $1::cidr`, params: ["2001:db8:abcd::/48"] });
    expect(render("ip:::ffff:203.0.113.7")).toEqual({ sql: `${col("ip")} = $1::inet`, params: ["203.0.113.7"] });
  });

  it("matches a day range as [first day, day after the last)", () => {
    expect(render("occurred:2026-11-01..2026-11-07")).toEqual({
      sql: `((${col("occurred_at")} >= $1 and ${col("received_at")} >= $2) and ${col("occurred_at")} < $3)`,
      params: ["2026-11-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z", "2026-11-08T00:00:00.000Z"],
    });
  });

  it("matches comparisons on dates and timestamps", () => {
    // A lower bound on occurred_at carries the received_at bound it implies (STORED_FUTURE_MS before, down to its month's start), which prunes older months.
    expect(render("occurred:>=2026-11-01")).toEqual({ sql: since(">="), params: ["2026-11-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"] });
    expect(render("occurred:>2026-11-01")).toEqual({ sql: since(">="), params: ["2026-11-02T00:00:00.000Z", "2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:<=2026-11-01")).toEqual({ sql: `${col("occurred_at")} < $1`, params: ["2026-11-02T00:00:00.000Z"] });
    expect(render("occurred:<2026-11-01")).toEqual({ sql: `${col("occurred_at")} < $1`, params: ["2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:>2026-11-01T09:30:00+01:00")).toEqual({ sql: since(">"), params: ["2026-11-01T08:30:00.000Z", "2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:<=2026-11-01T09:30:00Z")).toEqual({ sql: `${col("occurred_at")} <= $1`, params: ["2026-11-01T09:30:00.000Z"] });
  });

  it("binds relative times against the given now, never SQL now()", () => {
    expect(render("occurred:>7d")).toEqual({ sql: since(">="), params: ["2026-11-03T12:00:00.000Z", "2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:>24h")).toEqual({ sql: since(">="), params: ["2026-11-09T12:00:00.000Z", "2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:>30m")).toEqual({ sql: since(">="), params: ["2026-11-10T11:30:00.000Z", "2026-11-01T00:00:00.000Z"] });
    expect(render("occurred:<7d")).toEqual({ sql: `${col("occurred_at")} < $1`, params: ["2026-11-03T12:00:00.000Z"] });
    expect(render("occurred:>1d", new Date("2027-03-01T00:00:00Z")).params).toEqual(["2027-02-28T00:00:00.000Z", "2027-02-01T00:00:00.000Z"]);
    expect(render("occurred:>7d").sql).not.toMatch(/now\(\)/i);
  });

  it("matches free text with a lowercased, LIKE-escaped pattern in the parameters only", () => {
    const value = "100%_O'Brien\\";
    const { sql, params } = render(`"${value.replace(/\\/g, "\\\\")}"`);
    expect(sql).toBe(`${col("search_text")} like $1`);
    expect(params).toEqual(["%100\\%\\_o'brien\\\\%"]);
    expect(sql).not.toContain("'");
    expect(sql).not.toContain("100");
  });

  it("never puts user values into the SQL text", () => {
    const evil = "x'); drop table audit_events; --";
    const query = [
      `actor:"${evil}"`,
      `actor.id:"${evil}"`,
      `actor.type:"${evil}"`,
      `target:"${evil}"`,
      `target:doc:"${evil}"`,
      `"${evil}"`,
      `-actor:"${evil}"`,
    ].join(" ");
    const { sql, params } = render(query);
    expect(sql).not.toContain("drop");
    expect(sql).not.toContain("x'");
    expect(params.some((p) => String(p).includes("drop table"))).toBe(true);
  });

  it("ORs the same key, ANDs different keys", () => {
    expect(render("action:user.signed_in action:user.signed_out actor:ada")).toEqual({
      sql:
        `((${col("action")} = $1 or ${col("action")} = $2) and ` +
        `(${col("actor_id")} = $3 or lower(${col("actor_name")}) = lower($4) or lower(${col("actor_metadata")}->>'email') = lower($5)))`,
      params: ["user.signed_in", "user.signed_out", "ada", "ada", "ada"],
    });
  });

  it("treats actor, actor.id and actor.type as different keys", () => {
    expect(render("actor.id:a actor.type:user")).toEqual({
      sql: `(${col("actor_id")} = $1 and ${col("actor_type")} = $2)`,
      params: ["a", "user"],
    });
  });

  it("ANDs every free-text term", () => {
    expect(render("invoice Paid")).toEqual({
      sql: `(${col("search_text")} like $1 and ${col("search_text")} like $2)`,
      params: ["%invoice%", "%paid%"],
    });
  });

  it("ANDs each negated term as NOT coalesce(…, false) so NULL columns do not drop rows", () => {
    expect(render("-actor:bot")).toEqual({
      sql: `not coalesce((${col("actor_id")} = $1 or lower(${col("actor_name")}) = lower($2) or lower(${col("actor_metadata")}->>'email') = lower($3)), false)`,
      params: ["bot", "bot", "bot"],
    });
    expect(render("-ip:10.0.0.0/8 -action:user.signed_out -action:user.deleted")).toEqual({
      sql:
        `(not coalesce(${col("ip")} <<= $1::cidr, false) and ` +
        `not coalesce(${col("action")} = $2, false) and not coalesce(${col("action")} = $3, false))`,
      params: ["10.0.0.0/8", "user.signed_out", "user.deleted"],
    });
  });

  it("combines positive groups, free text and negations", () => {
    const { sql, params } = render('action:user.* -actor:bot "invoice" target:document occurred:>7d');
    expect(sql).toBe(
      `((${col("action")} ~>=~ $1 and ${col("action")} ~<~ $2) and ${col("target_types")} @> array[$3]::text[] and (${col("occurred_at")} >= $4 and ${col("received_at")} >= $5) and ` +
        `not coalesce((${col("actor_id")} = $6 or lower(${col("actor_name")}) = lower($7) or lower(${col("actor_metadata")}->>'email') = lower($8)), false) and ` +
        `${col("search_text")} like $9)`,
    );
    expect(params).toEqual(["user.", "user/", "document", "2026-11-03T12:00:00.000Z", "2026-11-01T00:00:00.000Z", "bot", "bot", "bot", "%invoice%"]);
  });
});

describe("queryFilter: alternatives", () => {
  const alternatives = (query: string) =>
    queryFilter(events, parseQuery(query), NOW).alternatives?.map((condition) => {
      const { sql, params } = dialect.sqlToQuery(condition);
      return { sql, params };
    });

  it("splits actor:X into id, name and email, each excluding the ones before it and keeping the other terms", () => {
    expect(alternatives("actor:ada@acme.test action:user.*")).toEqual([
      { sql: `(${col("actor_id")} = $1 and (${col("action")} ~>=~ $2 and ${col("action")} ~<~ $3))`, params: ["ada@acme.test", "user.", "user/"] },
      {
        sql: `(lower(${col("actor_name")}) = lower($1) and not coalesce(${col("actor_id")} = $2, false) and (${col("action")} ~>=~ $3 and ${col("action")} ~<~ $4))`,
        params: ["ada@acme.test", "ada@acme.test", "user.", "user/"],
      },
      {
        sql:
          `(lower(${col("actor_metadata")}->>'email') = lower($1) and not coalesce((${col("actor_id")} = $2 or lower(${col("actor_name")}) = lower($3)), false) and ` +
          `(${col("action")} ~>=~ $4 and ${col("action")} ~<~ $5))`,
        params: ["ada@acme.test", "ada@acme.test", "ada@acme.test", "user.", "user/"],
      },
    ]);
  });

  it("counts a typed actor's type and id as a fourth way, and a second value's ways after the first's", () => {
    expect(alternatives("actor:user:u_ada")).toHaveLength(4);
    expect(alternatives("actor:u_ada actor:u_bob")).toHaveLength(6);
  });

  it("leaves a query without a positive actor term, or with more ways than it splits into, as one condition", () => {
    expect(alternatives("action:user.* ip:10.0.0.0/8")).toBeUndefined();
    expect(alternatives("-actor:u_ada")).toBeUndefined();
    expect(alternatives("actor:a actor:b actor:c")).toBeUndefined();
  });
});
