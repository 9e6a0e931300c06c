import "server-only";
import { and, eq, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { ActorTerm, OccurredRange, ParsedQuery, QueryTerm } from "./query-language";
import { occurredSince, type VisibleEvents } from "./store/visible-events";

/*
 * The SQL of a parsed query over the events a read selects from (store/visible-events.ts). Every user value is a bound
 * parameter; the SQL text only ever holds column names and operators.
 *
 * Combination: positive terms are grouped by key, the terms of a group are ORed
 * and the groups ANDed; free-text terms are ANDed one by one (every word must
 * match); each negated term is ANDed as NOT coalesce(condition, false), so that
 * a NULL column (actor_name, the metadata email, ip) does not drop the row.
 */

/** Escapes LIKE's wildcards (and its escape character, backslash) so that `value` matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Actions starting with `prefix`, as a byte-wise range (~>=~ and ~<~ compare
 * bytes whatever the collation): the text_pattern_ops index on action serves it
 * as a range scan, and the planner estimates it from the column's histogram.
 */
function actionPrefixCondition(events: VisibleEvents, prefix: string): SQL {
  if (prefix === "") return sql`true`;
  const end = prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
  return sql`(${events.action} ~>=~ ${prefix} and ${events.action} ~<~ ${end})`;
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

function occurredCondition(events: VisibleEvents, range: OccurredRange, now: Date): SQL | undefined {
  if (range.kind === "relative") {
    // A bound timestamp rather than SQL now(): the same `now` gives the same rows.
    const boundary = new Date(now.getTime() - range.amount * UNIT_MS[range.unit]);
    return range.direction === "within" ? occurredSince(events, boundary) : lt(events.occurredAt, boundary);
  }
  const { after, before } = range;
  return and(
    after ? occurredSince(events, after.at, after.inclusive) : undefined,
    before ? (before.inclusive ? lte : lt)(events.occurredAt, before.at) : undefined,
  );
}

/** The ways an `actor:` term matches, each served by its own (organization, …, occurred_at desc, id desc) index. */
function actorAlternatives(events: VisibleEvents, term: ActorTerm): SQL[] {
  return [
    ...(term.typed ? [and(eq(events.actorType, term.typed.type), eq(events.actorId, term.typed.id))!] : []),
    eq(events.actorId, term.value),
    sql`lower(${events.actorName}) = lower(${term.value})`,
    sql`lower(${events.actorMetadata}->>'email') = lower(${term.value})`,
  ];
}

/** The condition one term stands for, ignoring its negation. */
export function termCondition(events: VisibleEvents, term: QueryTerm, now: Date): SQL | undefined {
  switch (term.key) {
    case "action":
      return term.match === "exact" ? eq(events.action, term.action) : actionPrefixCondition(events, term.action);
    case "actor":
      return or(...actorAlternatives(events, term));
    case "actor.id":
      return eq(events.actorId, term.value);
    case "actor.type":
      return eq(events.actorType, term.value);
    case "target":
      if (term.targetId === null) return sql`${events.targetTypes} @> array[${term.targetType}]::text[]`;
      // The array condition lets the GIN index on target_ids narrow the rows; the jsonb one pairs type and id.
      return and(
        sql`${events.targetIds} @> array[${term.targetId}]::text[]`,
        sql`${events.targets} @> ${JSON.stringify([{ type: term.targetType, id: term.targetId }])}::jsonb`,
      );
    case "ip":
      return term.prefixLength === null
        ? sql`${events.ip} = ${term.address}::inet`
        : sql`${events.ip} <<= ${`${term.address}/${term.prefixLength}`}::cidr`;
    case "occurred":
      return occurredCondition(events, term.range, now);
    case "text":
      // search_text is lowercased in JavaScript when stored (append.ts), so lowercase the same way here.
      // The pg_trgm GIN index on search_text serves LIKE '%…%'.
      return sql`${events.searchText} like ${`%${escapeLike(term.value.toLowerCase())}%`}`;
  }
}

type QueryParts = {
  /** Positive terms by key: ORed within a key, the keys ANDed. */
  groups: Map<string, SQL[]>;
  /** Free-text and negated terms, each ANDed. */
  conditions: SQL[];
};

function queryParts(events: VisibleEvents, parsed: ParsedQuery, now: Date): QueryParts {
  const groups = new Map<string, SQL[]>();
  const conditions: SQL[] = [];
  for (const term of parsed.terms) {
    const condition = termCondition(events, term, now);
    if (!condition) continue;
    if (term.negated) {
      conditions.push(sql`not coalesce(${condition}, false)`);
    } else if (term.key === "text") {
      conditions.push(condition);
    } else {
      const group = groups.get(term.key);
      if (group) group.push(condition);
      else groups.set(term.key, [condition]);
    }
  }
  return { groups, conditions };
}

/** The AND of the parts, leaving out the group of `skipKey`; undefined when nothing is left. */
function combined({ groups, conditions }: QueryParts, skipKey?: string): SQL | undefined {
  // Time bounds narrow together (occurred:>=A occurred:<B is a range); other repeated keys widen.
  const grouped = [...groups.entries()]
    .filter(([key]) => key !== skipKey)
    .map(([key, group]) => (group.length === 1 ? group[0] : key === "occurred" ? and(...group)! : or(...group)!));
  const all = [...grouped, ...conditions];
  if (all.length === 0) return undefined;
  return and(...all);
}

/** The WHERE condition of a parsed query (undefined when it has no terms), and its alternatives when they apply. */
export type QueryFilter = { where: SQL | undefined; alternatives?: SQL[] };

/** The most alternatives a query is split into (an `actor:` value makes three or four). */
const MAX_ALTERNATIVES = 8;

/**
 * The SQL of a parsed query; `now` anchors relative times (occurred:>7d).
 *
 * Alternatives: the condition as disjoint parts whose union it is, when its
 * positive `actor:` terms (matched by id, name or email, on three indexes)
 * split it into at most MAX_ALTERNATIVES. A read of the newest matches then
 * takes each alternative's newest from its own index and merges them
 * (lib/events/search.ts, firstMatches): an OR over three indexes yields no
 * order, so the planner otherwise reads and sorts every match, or walks the
 * time index until enough rows pass the OR. Alternative i excludes what the
 * ones before it match, so no event is read twice.
 */
export function queryFilter(events: VisibleEvents, parsed: ParsedQuery, now: Date): QueryFilter {
  const parts = queryParts(events, parsed, now);
  const where = combined(parts);
  const actorTerms = parsed.terms.filter((term): term is ActorTerm => term.key === "actor" && !term.negated);
  const ways = actorTerms.flatMap((term) => actorAlternatives(events, term));
  if (ways.length === 0 || ways.length > MAX_ALTERNATIVES) return { where };
  const rest = combined(parts, "actor");
  return { where, alternatives: ways.map((way, i) => and(way, i > 0 ? sql`not coalesce(${or(...ways.slice(0, i))}, false)` : undefined, rest)!) };
}
