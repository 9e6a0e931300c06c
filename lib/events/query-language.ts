import ipaddr from "ipaddr.js";
import { isStorableText } from "@/lib/storable-text";
import { isWithinRelativeBound, isWithinTimeBounds, MAX_RELATIVE_DAYS, TIME_BOUNDS_TEXT } from "./time-bounds";

/*
 * The search query language (DESIGN.md, "Search query language"):
 *
 *   action:user.signed_in   action:user.*   action:user.sign*
 *   actor:ada@acme.test     actor.id:u_1    actor.type:user
 *   target:document         target:document:doc_7
 *   ip:203.0.113.7          ip:10.0.0.0/8   ip:2001:db8::/32
 *   occurred:>=2026-11-01   occurred:2026-11-01..2026-11-07   occurred:>7d
 *   word   "quoted phrase"  -any:term
 *
 * Terms are separated by whitespace. Values may be quoted (`actor:"Ada Lovelace"`);
 * inside quotes `\"` is a quote and `\\` a backslash, other backslashes are literal.
 * A leading `-` negates a term. Every time a term stands for lies within the
 * bounds of time-bounds.ts, and no term holds a NUL (PostgreSQL text cannot).
 * This module only parses; query-sql.ts turns the result into SQL: the same key
 * twice is OR, different keys are AND, each negated term and each free-text
 * term is ANDed on its own.
 */

export const MAX_QUERY_LENGTH = 2000;
export const MAX_QUERY_TERMS = 50;

/** The keys that can be written as `key:value`, in the order the error messages list them. */
export const QUERY_KEYS = ["action", "actor", "actor.id", "actor.type", "target", "ip", "occurred"] as const;
export type QueryFieldKey = (typeof QUERY_KEYS)[number];
/** `text` is the key of free-text terms (a bare word or a quoted phrase). */
export type QueryKey = QueryFieldKey | "text";

type TermBase = {
  /** The term's value as written, without its key, quotes or escapes. */
  value: string;
  negated: boolean;
  /** The term's place in the query: `input.slice(start, end)`, including a leading `-`. */
  start: number;
  end: number;
};

export type ActionTerm = TermBase & {
  key: "action";
  /** `exact`: `action` is the whole action. `prefix`: `action` is the literal start (`user.` for `user.*`). */
  match: "exact" | "prefix";
  action: string;
};
/** `typed`: `actor:type:id` names the actor by type and id, as `target:type:id` names a target. */
export type ActorTerm = TermBase & { key: "actor" | "actor.id" | "actor.type"; typed?: { type: string; id: string } };
export type TargetTerm = TermBase & { key: "target"; targetType: string; targetId: string | null };
export type IpTerm = TermBase & {
  key: "ip";
  /** The canonical address, or for a CIDR the network address with its host bits zeroed. */
  address: string;
  /** null for a single address. */
  prefixLength: number | null;
};
export type TimeBound = { at: Date; inclusive: boolean };
export type OccurredRange =
  | { kind: "absolute"; after: TimeBound | null; before: TimeBound | null }
  /** `within`: the last `amount` units before now (`>7d`); `before`: earlier than that (`<7d`). */
  | { kind: "relative"; direction: "within" | "before"; amount: number; unit: "d" | "h" | "m" };
export type OccurredTerm = TermBase & { key: "occurred"; range: OccurredRange };
export type TextTerm = TermBase & { key: "text" };

export type QueryTerm = ActionTerm | ActorTerm | TargetTerm | IpTerm | OccurredTerm | TextTerm;
export type ParsedQuery = { terms: QueryTerm[] };

/** What serializeTerm needs: parsed terms qualify, and so do terms built by the UI. */
export type TermInput = { key: QueryKey; value: string; negated?: boolean };

/** A query that cannot be parsed; `term` is `input.slice(start, end)`, the term at fault. */
export class QueryError extends Error {
  readonly term: string;
  readonly start: number;
  readonly end: number;
  /** The query's other bad terms, after this one: every one is reported, not only the first. */
  more: QueryError[] = [];

  constructor(message: string, term: string, start: number, end: number) {
    super(message);
    this.name = "QueryError";
    this.term = term;
    this.start = start;
    this.end = end;
  }
}

const WHITESPACE = /\s/;
const ACTION = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^(\d{1,6})([dhm])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const DAY_MS = UNIT_MS.d;

const knownKeys = `known keys: ${QUERY_KEYS.map((k) => `${k}:`).join(", ")}`;

type Segment = { text: string; quoted: boolean };
type RawTerm = { negated: boolean; segments: Segment[]; start: number; end: number; raw: string };

/**
 * Parses a query; throws a QueryError naming the first bad term, with every
 * other bad term in its `more`. An empty query has no terms.
 */
export function parseQuery(input: string): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    throw new QueryError(
      `The query is ${input.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`,
      input.slice(MAX_QUERY_LENGTH),
      MAX_QUERY_LENGTH,
      input.length,
    );
  }
  const terms: QueryTerm[] = [];
  const errors: QueryError[] = [];
  let count = 0;
  for (const raw of scan(input)) {
    if (count === MAX_QUERY_TERMS && !(raw instanceof QueryError)) {
      errors.push(new QueryError(`Too many terms: the limit is ${MAX_QUERY_TERMS}.`, raw.raw, raw.start, raw.end));
      break;
    }
    count += 1;
    try {
      if (raw instanceof QueryError) throw raw;
      terms.push(toTerm(raw));
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) {
    const [first, ...more] = errors;
    first!.more = more;
    throw first;
  }
  return { terms };
}

/** The query's bad terms, each with its place, as issues of the API error (`q[start:end]`, or the field the query came in). */
export function queryIssues(error: QueryError, field = "q"): { path: string; message: string }[] {
  return [error, ...error.more].map((e) => ({ path: `${field}[${e.start}:${e.end}]`, message: `${e.term}: ${e.message}` }));
}

/** Splits the input into terms: runs of unquoted non-whitespace and quoted segments; a term that cannot be split is a QueryError in its place. */
function* scan(input: string): Generator<RawTerm | QueryError> {
  const n = input.length;
  let i = 0;
  while (i < n) {
    while (i < n && WHITESPACE.test(input[i])) i++;
    if (i >= n) return;
    const start = i;
    let negated = false;
    if (input[i] === "-") {
      negated = true;
      i++;
      if (i >= n || WHITESPACE.test(input[i])) {
        yield new QueryError("A lone '-' negates nothing: write it directly before a term (-action:user.signed_out).", "-", start, start + 1);
        continue;
      }
    }
    const segments: Segment[] = [];
    while (i < n && !WHITESPACE.test(input[i])) {
      if (input[i] === '"') {
        let j = i + 1;
        let text = "";
        let closed = false;
        while (j < n) {
          const c = input[j];
          if (c === "\\" && (input[j + 1] === '"' || input[j + 1] === "\\")) {
            text += input[j + 1];
            j += 2;
          } else if (c === '"') {
            closed = true;
            j++;
            break;
          } else {
            text += c;
            j++;
          }
        }
        if (!closed) {
          yield new QueryError(`Unclosed quote: the '"' at position ${i} has no closing '"'.`, input.slice(start), start, n);
          return;
        }
        segments.push({ text, quoted: true });
        i = j;
      } else {
        let j = i;
        while (j < n && input[j] !== '"' && !WHITESPACE.test(input[j])) j++;
        segments.push({ text: input.slice(i, j), quoted: false });
        i = j;
      }
    }
    yield { negated, segments, start, end: i, raw: input.slice(start, i) };
  }
}

function isFieldKey(key: string): key is QueryFieldKey {
  return (QUERY_KEYS as readonly string[]).includes(key);
}

function toTerm(raw: RawTerm): QueryTerm {
  function fail(message: string): never {
    throw new QueryError(message, raw.raw, raw.start, raw.end);
  }
  if (!isStorableText(raw.raw)) fail("The term holds a NUL character or an unpaired surrogate, which no event contains; remove it.");
  const [first, ...rest] = raw.segments;
  const base = { negated: raw.negated, start: raw.start, end: raw.end };
  const colon = first.quoted ? -1 : first.text.indexOf(":");
  if (colon < 0) {
    const value = raw.segments.map((s) => s.text).join("");
    if (value === "") fail('Empty phrase: "" matches nothing; put words between the quotes.');
    return { key: "text", value, ...base };
  }
  const written = first.text.slice(0, colon);
  const key = written.toLowerCase();
  if (!isFieldKey(key)) {
    const hint = `; to search for the text, quote it ("${raw.raw.replace(/^-/, "").replace(/"/g, "")}")`;
    fail(written === "" ? `Missing key before ':' (${knownKeys})${hint}.` : `Unknown key "${written}" (${knownKeys})${hint}.`);
  }
  const value = first.text.slice(colon + 1) + rest.map((s) => s.text).join("");
  if (value === "") fail(`Empty value: ${key}: needs a value, e.g. ${example(key)}.`);
  const term = { value, ...base };

  switch (key) {
    case "action": {
      let match: "exact" | "prefix" = "exact";
      let action = value;
      if (value.endsWith(".*")) {
        match = "prefix";
        action = value.slice(0, -2);
      } else if (value.endsWith("*")) {
        match = "prefix";
        action = value.slice(0, -1);
      }
      if (!ACTION.test(action)) {
        fail(
          `"${value}" is not an action: actions are lowercase words of a-z, 0-9 and _ joined by dots (user.signed_in); ` +
            `a prefix ends with .* or * (user.*).`,
        );
      }
      return { key: "action", match, action: match === "prefix" && value.endsWith(".*") ? `${action}.` : action, ...term };
    }
    case "actor": {
      // The whole value still matches an id, name or email that holds a colon.
      const sep = value.indexOf(":");
      return sep > 0 && sep < value.length - 1 ? { key, typed: { type: value.slice(0, sep), id: value.slice(sep + 1) }, ...term } : { key, ...term };
    }
    case "actor.id":
    case "actor.type":
      return { key, ...term };
    case "target": {
      const sep = value.indexOf(":");
      const targetType = sep < 0 ? value : value.slice(0, sep);
      const targetId = sep < 0 ? null : value.slice(sep + 1);
      if (targetType === "") fail(`"${value}" has no target type: write target:type or target:type:id (target:document:doc_7).`);
      if (targetId === "") fail(`"${value}" has an empty target id: write target:type or target:type:id (target:document:doc_7).`);
      return { key: "target", targetType, targetId, ...term };
    }
    case "ip": {
      const parsed = parseIpOrCidr(value);
      if (!parsed) fail(`"${value}" is not an IPv4 or IPv6 address or CIDR range (203.0.113.7, 10.0.0.0/8, 2001:db8::/32).`);
      return { key: "ip", ...parsed, ...term };
    }
    case "occurred": {
      const range = parseOccurred(value);
      if (typeof range === "string") fail(range);
      return { key: "occurred", range, ...term };
    }
  }
}

function example(key: QueryFieldKey): string {
  switch (key) {
    case "action":
      return "action:user.signed_in";
    case "actor":
      return "actor:ada@acme.test";
    case "actor.id":
      return "actor.id:u_123";
    case "actor.type":
      return "actor.type:user";
    case "target":
      return "target:document:doc_7";
    case "ip":
      return "ip:203.0.113.7";
    case "occurred":
      return "occurred:>7d";
  }
}

// ---------------------------------------------------------------- IP addresses

/** The canonical text of a plain IPv4 (four-part decimal) or IPv6 address; IPv4-mapped IPv6 becomes IPv4. */
function canonicalAddress(value: string): { addr: ipaddr.IPv4 | ipaddr.IPv6; text: string } | null {
  if (value.length > 45 || value.includes("%") || !ipaddr.isValid(value)) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) {
    const addr = ipaddr.IPv4.parse(value);
    return { addr, text: addr.toString() };
  }
  if (!ipaddr.IPv6.isValid(value)) return null;
  const addr = ipaddr.IPv6.parse(value);
  if (addr.isIPv4MappedAddress()) {
    const v4 = addr.toIPv4Address();
    return { addr: v4, text: v4.toString() };
  }
  return { addr, text: addr.toString() };
}

function parseIpOrCidr(value: string): { address: string; prefixLength: number | null } | null {
  const slash = value.lastIndexOf("/");
  if (slash < 0) {
    const address = canonicalAddress(value);
    return address && { address: address.text, prefixLength: null };
  }
  const addressPart = value.slice(0, slash);
  const lengthPart = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthPart) || addressPart.includes("%") || addressPart.length > 45) return null;
  if (!ipaddr.IPv4.isValidFourPartDecimal(addressPart) && !ipaddr.IPv6.isValid(addressPart)) return null;
  let network: ipaddr.IPv4 | ipaddr.IPv6;
  let prefixLength: number;
  try {
    [network, prefixLength] = ipaddr.parseCIDR(`${addressPart}/${Number(lengthPart)}`);
  } catch {
    return null;
  }
  // Stored addresses are canonical: IPv4-mapped IPv6 is stored as IPv4, so match it as IPv4.
  if (network.kind() === "ipv6" && prefixLength >= 96 && (network as ipaddr.IPv6).isIPv4MappedAddress()) {
    network = (network as ipaddr.IPv6).toIPv4Address();
    prefixLength -= 96;
  }
  return { address: zeroHostBits(network, prefixLength).toString(), prefixLength };
}

function zeroHostBits(addr: ipaddr.IPv4 | ipaddr.IPv6, prefixLength: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = addr.toByteArray().map((byte, i) => {
    const bits = Math.min(8, Math.max(0, prefixLength - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  return ipaddr.fromByteArray(bytes);
}

// ---------------------------------------------------------------- times

type ParsedTime = { kind: "date"; at: Date } | { kind: "timestamp"; at: Date };

function utcDate(year: number, month: number, day: number): Date | null {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** A `YYYY-MM-DD` date (UTC midnight) or an RFC 3339 timestamp (seconds may be left out). */
function parseTime(value: string): ParsedTime | null {
  const date = DATE.exec(value);
  if (date) {
    const at = utcDate(Number(date[1]), Number(date[2]), Number(date[3]));
    return at && { kind: "date", at };
  }
  const ts = TIMESTAMP.exec(value);
  if (!ts) return null;
  const [, y, mo, d, h, mi, s = "0", fraction = "", offset] = ts;
  const day = utcDate(Number(y), Number(mo), Number(d));
  if (!day || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offsetMinutes = 0;
  if (offset !== "Z" && offset !== "z") {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (offset[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const at = new Date(day.getTime() + ((Number(h) * 60 + Number(mi) - offsetMinutes) * 60 + Number(s)) * 1000 + ms);
  return Number.isNaN(at.getTime()) ? null : { kind: "timestamp", at };
}

const OCCURRED_FORMS =
  "write >=2026-11-01, >2026-11-01, <=2026-11-01, <2026-11-01, 2026-11-01, 2026-11-01..2026-11-07 " +
  "(an RFC 3339 timestamp such as 2026-11-01T09:30:00Z also works in place of a date) or >7d, >24h, >30m for the last days, hours or minutes";

function badTime(text: string): string {
  if (/^\d+[a-z]*$/i.test(text)) {
    return `"${text}" is not a relative time: write a whole number (at most 6 digits) of d (days), h (hours) or m (minutes), e.g. >7d.`;
  }
  return `"${text}" is not a date (YYYY-MM-DD) or an RFC 3339 timestamp (2026-11-01T09:30:00Z).`;
}

type Relative = { amount: number; unit: "d" | "h" | "m" };

/** A relative time (`7d`), null if `text` is not one, or the error message when it reaches back too far. */
function parseRelative(text: string): Relative | string | null {
  const m = RELATIVE.exec(text);
  if (!m || Number(m[1]) === 0) return null;
  const relative: Relative = { amount: Number(m[1]), unit: m[2] as "d" | "h" | "m" };
  if (!isWithinRelativeBound(relative.amount * UNIT_MS[relative.unit])) {
    return `"${text}" reaches back too far: a relative time is at most ${MAX_RELATIVE_DAYS} days (100 years); for older events give a date (occurred:<2000-01-01).`;
  }
  return relative;
}

/** The range, or the error message when one of its ends lies outside the times Orgtrail accepts. */
function bounded(value: string, range: OccurredRange): OccurredRange | string {
  if (range.kind === "absolute" && [range.after, range.before].some((bound) => bound && !isWithinTimeBounds(bound.at))) {
    return `"${value}" reaches outside the times a search can name: they lie ${TIME_BOUNDS_TEXT}.`;
  }
  return range;
}

/** The range of an `occurred:` value, or the error message. */
function parseOccurred(value: string): OccurredRange | string {
  const range = parseOccurredRange(value);
  return typeof range === "string" ? range : bounded(value, range);
}

function parseOccurredRange(value: string): OccurredRange | string {
  const op = /^(>=|<=|>|<)/.exec(value)?.[1] as ">=" | "<=" | ">" | "<" | undefined;
  if (op) {
    const rest = value.slice(op.length);
    if (rest === "") return `"${value}" has nothing after ${op}: ${OCCURRED_FORMS}.`;
    const relative = parseRelative(rest);
    if (typeof relative === "string") return relative;
    if (relative) return { kind: "relative", direction: op[0] === ">" ? "within" : "before", ...relative };
    const time = parseTime(rest);
    if (!time) return badTime(rest);
    const next = new Date(time.at.getTime() + DAY_MS);
    // A date stands for its whole (UTC) day: >D is from the next day on, <=D up to the end of D.
    switch (op) {
      case ">=":
        return { kind: "absolute", after: { at: time.at, inclusive: true }, before: null };
      case ">":
        return { kind: "absolute", after: time.kind === "date" ? { at: next, inclusive: true } : { at: time.at, inclusive: false }, before: null };
      case "<=":
        return { kind: "absolute", after: null, before: time.kind === "date" ? { at: next, inclusive: false } : { at: time.at, inclusive: true } };
      case "<":
        return { kind: "absolute", after: null, before: { at: time.at, inclusive: false } };
    }
  }
  const dots = value.indexOf("..");
  if (dots >= 0) {
    const fromText = value.slice(0, dots);
    const toText = value.slice(dots + 2);
    if (fromText === "" && toText === "") return `"${value}" is a range without ends: ${OCCURRED_FORMS}.`;
    let after: TimeBound | null = null;
    let before: TimeBound | null = null;
    if (fromText !== "") {
      const from = parseTime(fromText);
      if (!from) return badTime(fromText);
      after = { at: from.at, inclusive: true };
    }
    if (toText !== "") {
      const to = parseTime(toText);
      if (!to) return badTime(toText);
      // Days are inclusive: up to the end of the last day.
      before = to.kind === "date" ? { at: new Date(to.at.getTime() + DAY_MS), inclusive: false } : { at: to.at, inclusive: true };
    }
    if (after && before && (before.inclusive ? before.at < after.at : before.at <= after.at)) {
      return `"${value}" ends before it starts.`;
    }
    return { kind: "absolute", after, before };
  }
  const relative = parseRelative(value);
  if (typeof relative === "string") return relative;
  if (relative) return { kind: "relative", direction: "within", ...relative };
  const time = parseTime(value);
  if (time?.kind === "date") {
    return { kind: "absolute", after: { at: time.at, inclusive: true }, before: { at: new Date(time.at.getTime() + DAY_MS), inclusive: false } };
  }
  if (time) return `"${value}" is a single instant: compare it (>=${value}) or give a range (${value}..${value}).`;
  return `"${value}" is not a time: ${OCCURRED_FORMS}.`;
}

// ---------------------------------------------------------------- serializing

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One term as query text, quoted where needed so that parseQuery reads back the same key, value and negation. */
export function serializeTerm(term: TermInput): string {
  const sign = term.negated ? "-" : "";
  const { value } = term;
  if (term.key === "text") {
    const needsQuotes = value === "" || /[\s":]/.test(value) || value.startsWith("-");
    return sign + (needsQuotes ? quote(value) : value);
  }
  const needsQuotes = value === "" || /[\s"]/.test(value);
  return `${sign}${term.key}:${needsQuotes ? quote(value) : value}`;
}

/** Terms as a query string, separated by single spaces. */
export function formatQuery(terms: readonly TermInput[]): string {
  return terms.map(serializeTerm).join(" ");
}
