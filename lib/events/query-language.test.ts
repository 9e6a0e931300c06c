import { describe, it, expect } from "vitest";
import {
  formatQuery,
  MAX_QUERY_LENGTH,
  MAX_QUERY_TERMS,
  parseQuery,
  QueryError,
  serializeTerm,
  type OccurredRange,
  type QueryTerm,
} from "./query-language";

function only(input: string): QueryTerm {
  const { terms } = parseQuery(input);
  expect(terms).toHaveLength(1);
  return terms[0];
}

function failure(input: string): QueryError {
  try {
    parseQuery(input);
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    const e = error as QueryError;
    // The term always names the slice of the input at fault (except the too-long case, tested apart).
    expect(input.slice(e.start, e.end)).toBe(e.term);
    return e;
  }
  throw new Error(`expected ${JSON.stringify(input)} to fail`);
}

function range(input: string): OccurredRange {
  const term = only(input);
  if (term.key !== "occurred") throw new Error(`not an occurred term: ${input}`);
  return term.range;
}

const at = (iso: string) => new Date(iso);

describe("parseQuery: structure", () => {
  it("parses an empty or blank query to no terms", () => {
    expect(parseQuery("")).toEqual({ terms: [] });
    expect(parseQuery("   \t\n ")).toEqual({ terms: [] });
  });

  it("splits terms on any whitespace and records their positions", () => {
    const { terms } = parseQuery("  action:user.signed_in\tada\n -actor:bob  ");
    expect(terms.map((t) => [t.key, t.value, t.negated, t.start, t.end])).toEqual([
      ["action", "user.signed_in", false, 2, 23],
      ["text", "ada", false, 24, 27],
      ["actor", "bob", true, 29, 39],
    ]);
  });

  it("keeps term order", () => {
    const { terms } = parseQuery('b a "c d" actor:x');
    expect(terms.map((t) => t.value)).toEqual(["b", "a", "c d", "x"]);
  });

  it("negates any term with a leading -", () => {
    const { terms } = parseQuery('-action:user.* -"a phrase" -word -ip:10.0.0.0/8 -occurred:>7d -target:doc');
    expect(terms.every((t) => t.negated)).toBe(true);
    expect(terms.map((t) => t.key)).toEqual(["action", "text", "text", "ip", "occurred", "target"]);
    expect(terms[1]).toMatchObject({ value: "a phrase", start: 15, end: 26 });
  });

  it("treats a - inside a word as part of it", () => {
    expect(only("e-mail")).toMatchObject({ key: "text", value: "e-mail", negated: false });
    expect(only("actor:jean-luc")).toMatchObject({ key: "actor", value: "jean-luc", negated: false });
  });

  it("negates only once: --x is the negated word -x", () => {
    expect(only("--x")).toMatchObject({ key: "text", value: "-x", negated: true });
  });

  it("reads keys case-insensitively", () => {
    expect(only("ACTION:user.signed_in")).toMatchObject({ key: "action", value: "user.signed_in" });
    expect(only("Actor.ID:u_1")).toMatchObject({ key: "actor.id", value: "u_1" });
  });
});

describe("parseQuery: quoting", () => {
  it("reads a quoted phrase as one free-text term", () => {
    expect(only('"signed in from Paris"')).toEqual({ key: "text", value: "signed in from Paris", negated: false, start: 0, end: 22 });
  });

  it("reads a quoted value after a key", () => {
    expect(only('actor:"Ada Lovelace"')).toMatchObject({ key: "actor", value: "Ada Lovelace", start: 0, end: 20 });
    expect(only('-actor:"Ada Lovelace"')).toMatchObject({ key: "actor", value: "Ada Lovelace", negated: true, start: 0, end: 21 });
  });

  it("joins quoted and bare parts of one term", () => {
    expect(only('actor:"Ada "Lovelace')).toMatchObject({ value: "Ada Lovelace" });
    expect(only('target:document:"doc 7"')).toMatchObject({ key: "target", targetType: "document", targetId: "doc 7" });
  });

  it("unescapes \\\" and \\\\ inside quotes and keeps other backslashes", () => {
    expect(only('"say \\"hi\\""')).toMatchObject({ value: 'say "hi"' });
    expect(only('"back\\\\slash"')).toMatchObject({ value: "back\\slash" });
    expect(only('"C:\\path\\n"')).toMatchObject({ value: "C:\\path\\n" });
  });

  it("keeps backslashes outside quotes literal", () => {
    expect(only("a\\b")).toMatchObject({ key: "text", value: "a\\b" });
  });

  it("lets a quoted phrase contain a colon without a key", () => {
    expect(only('"foo:bar"')).toMatchObject({ key: "text", value: "foo:bar" });
    expect(only('"https://example.test/x"')).toMatchObject({ key: "text", value: "https://example.test/x" });
  });

  it("keeps unicode text", () => {
    expect(only('"Zoë Ångström"')).toMatchObject({ value: "Zoë Ångström" });
    expect(only("actor:zoë")).toMatchObject({ key: "actor", value: "zoë" });
  });
});

describe("parseQuery: action", () => {
  it("parses an exact action", () => {
    expect(only("action:user.signed_in")).toMatchObject({ key: "action", match: "exact", action: "user.signed_in", value: "user.signed_in" });
    expect(only("action:login")).toMatchObject({ match: "exact", action: "login" });
    expect(only("action:api_key.v2.created")).toMatchObject({ match: "exact", action: "api_key.v2.created" });
  });

  it("parses .* as a prefix that keeps the dot", () => {
    expect(only("action:user.*")).toMatchObject({ match: "prefix", action: "user.", value: "user.*" });
    expect(only("action:user.session.*")).toMatchObject({ match: "prefix", action: "user.session." });
  });

  it("parses a trailing * as a plain prefix", () => {
    expect(only("action:user.sign*")).toMatchObject({ match: "prefix", action: "user.sign" });
    expect(only("action:user*")).toMatchObject({ match: "prefix", action: "user" });
  });

  it.each([
    "action:User.Signed_In",
    "action:user..signed_in",
    "action:.user",
    "action:user.",
    "action:*",
    "action:.*",
    "action:user.*.x",
    "action:us*er",
    "action:user-signed-in",
    "action:user.**",
    "action:user%",
    'action:"user signed in"',
  ])("rejects the bad action pattern %s", (input) => {
    const e = failure(input);
    expect(e.message).toMatch(/is not an action/);
    expect(e).toMatchObject({ start: 0, end: input.length, term: input });
  });
});

describe("parseQuery: actor", () => {
  it("parses actor, actor.id and actor.type", () => {
    expect(only("actor:ada@acme.test")).toEqual({ key: "actor", value: "ada@acme.test", negated: false, start: 0, end: 19 });
    expect(only("actor.id:u_acme_member")).toMatchObject({ key: "actor.id", value: "u_acme_member" });
    expect(only("actor.type:api_key")).toMatchObject({ key: "actor.type", value: "api_key" });
  });

  it("keeps colons in the value after the first one", () => {
    expect(only("actor.id:urn:user:7")).toMatchObject({ key: "actor.id", value: "urn:user:7" });
  });

  it("reads actor:type:id as the actor's type and id, like target:type:id, keeping the whole value too", () => {
    expect(only("actor:user:u_acme_member")).toMatchObject({ key: "actor", value: "user:u_acme_member", typed: { type: "user", id: "u_acme_member" } });
    expect(only("actor:api_key:key:7")).toMatchObject({ typed: { type: "api_key", id: "key:7" } });
    expect(only("actor:ada@acme.test")).not.toHaveProperty("typed");
    expect(only("actor::x")).not.toHaveProperty("typed");
    expect(only("actor:user:")).not.toHaveProperty("typed");
  });
});

describe("parseQuery: every bad term", () => {
  it("names the first bad term and lists each other one in `more`, in order", () => {
    const input = "colour:blue action:user.* ip:nope - occurred:someday";
    const error = failure(input);
    expect(error.term).toBe("colour:blue");
    expect(error.more.map((e) => e.term)).toEqual(["ip:nope", "-", "occurred:someday"]);
    for (const e of error.more) expect(input.slice(e.start, e.end)).toBe(e.term);
  });

  it("reports terms before an unclosed quote and the quote itself", () => {
    const error = failure('ip:x action:a "open');
    expect([error.term, ...error.more.map((e) => e.term)]).toEqual(["ip:x", '"open']);
  });

  it("has no `more` when one term is bad", () => {
    expect(failure("action:user.* ip:nope").more).toEqual([]);
  });
});

describe("parseQuery: target", () => {
  it("parses a target type", () => {
    expect(only("target:document")).toMatchObject({ key: "target", targetType: "document", targetId: null, value: "document" });
  });

  it("parses a target type and id, splitting at the first colon", () => {
    expect(only("target:document:doc_7")).toMatchObject({ targetType: "document", targetId: "doc_7", value: "document:doc_7" });
    expect(only("target:file:s3://bucket/key")).toMatchObject({ targetType: "file", targetId: "s3://bucket/key" });
  });

  it("rejects an empty type or id", () => {
    expect(failure("target::doc_7").message).toMatch(/no target type/);
    expect(failure("target:document:").message).toMatch(/empty target id/);
    expect(failure('target:document:""').message).toMatch(/empty target id/);
  });
});

describe("parseQuery: ip", () => {
  it.each([
    ["ip:203.0.113.7", "203.0.113.7"],
    ["ip:2001:db8::1", "2001:db8::1"],
    ["ip:2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["ip:::1", "::1"],
    ["ip:::ffff:203.0.113.7", "203.0.113.7"],
  ])("parses the address %s", (input, address) => {
    expect(only(input)).toMatchObject({ key: "ip", address, prefixLength: null });
  });

  it.each([
    ["ip:10.0.0.0/8", "10.0.0.0", 8],
    ["ip:10.1.2.3/8", "10.0.0.0", 8],
    ["ip:192.168.1.77/24", "192.168.1.0", 24],
    ["ip:192.168.1.77/32", "192.168.1.77", 32],
    ["ip:172.20.5.5/12", "172.16.0.0", 12],
    ["ip:1.2.3.4/0", "0.0.0.0", 0],
    ["ip:2001:db8::/32", "2001:db8::", 32],
    ["ip:2001:db8:abcd:1234::1/48", "2001:db8:abcd::", 48],
    ["ip:2001:db8::1/127", "2001:db8::", 127],
    ["ip:::/0", "::", 0],
    ["ip:::ffff:10.1.2.3/104", "10.0.0.0", 8],
  ])("parses the CIDR %s with host bits zeroed", (input, address, prefixLength) => {
    expect(only(input)).toMatchObject({ key: "ip", address, prefixLength });
  });

  it.each([
    "ip:1",
    "ip:10.0.0",
    "ip:0x0a.0.0.1",
    "ip:256.1.1.1",
    "ip:10.0.0.1.2",
    "ip:example.test",
    "ip:2001:db8:::1",
    "ip:fe80::1%eth0",
    "ip:10.0.0.0/33",
    "ip:10.0.0.0/",
    "ip:10.0.0.0/8/8",
    "ip:10.0.0.0/-1",
    "ip:10.0.0.0/a",
    "ip:2001:db8::/129",
    "ip:/8",
    "ip:10/8",
  ])("rejects %s", (input) => {
    const e = failure(input);
    expect(e.message).toMatch(/is not an IPv4 or IPv6 address or CIDR range/);
    expect(e).toMatchObject({ start: 0, end: input.length });
  });
});

describe("parseQuery: occurred", () => {
  it("parses >= and < on dates as UTC midnights", () => {
    expect(range("occurred:>=2026-11-01")).toEqual({ kind: "absolute", after: { at: at("2026-11-01T00:00:00Z"), inclusive: true }, before: null });
    expect(range("occurred:<2026-11-01")).toEqual({ kind: "absolute", after: null, before: { at: at("2026-11-01T00:00:00Z"), inclusive: false } });
  });

  it("reads > and <= on a date as the whole day", () => {
    expect(range("occurred:>2026-11-01")).toEqual({ kind: "absolute", after: { at: at("2026-11-02T00:00:00Z"), inclusive: true }, before: null });
    expect(range("occurred:<=2026-11-01")).toEqual({ kind: "absolute", after: null, before: { at: at("2026-11-02T00:00:00Z"), inclusive: false } });
  });

  it("crosses month and year ends and leap days", () => {
    expect(range("occurred:<=2026-12-31")).toMatchObject({ before: { at: at("2027-01-01T00:00:00Z") } });
    expect(range("occurred:<=2028-02-28")).toMatchObject({ before: { at: at("2028-02-29T00:00:00Z") } });
    expect(range("occurred:>=2028-02-29")).toMatchObject({ after: { at: at("2028-02-29T00:00:00Z") } });
  });

  it("parses a range of days, both inclusive", () => {
    expect(range("occurred:2026-11-01..2026-11-07")).toEqual({
      kind: "absolute",
      after: { at: at("2026-11-01T00:00:00Z"), inclusive: true },
      before: { at: at("2026-11-08T00:00:00Z"), inclusive: false },
    });
    expect(range("occurred:2026-11-01..2026-11-01")).toMatchObject({ before: { at: at("2026-11-02T00:00:00Z") } });
  });

  it("parses open-ended ranges", () => {
    expect(range("occurred:2026-11-01..")).toEqual({ kind: "absolute", after: { at: at("2026-11-01T00:00:00Z"), inclusive: true }, before: null });
    expect(range("occurred:..2026-11-07")).toEqual({ kind: "absolute", after: null, before: { at: at("2026-11-08T00:00:00Z"), inclusive: false } });
  });

  it("parses a bare date as that whole day", () => {
    expect(range("occurred:2026-11-05")).toEqual({
      kind: "absolute",
      after: { at: at("2026-11-05T00:00:00Z"), inclusive: true },
      before: { at: at("2026-11-06T00:00:00Z"), inclusive: false },
    });
  });

  it("parses RFC 3339 timestamps in place of dates, exactly", () => {
    expect(range("occurred:>=2026-11-01T09:30:00Z")).toMatchObject({ after: { at: at("2026-11-01T09:30:00Z"), inclusive: true } });
    expect(range("occurred:>2026-11-01T09:30:00Z")).toMatchObject({ after: { at: at("2026-11-01T09:30:00Z"), inclusive: false } });
    expect(range("occurred:<=2026-11-01T09:30:00.250Z")).toMatchObject({ before: { at: at("2026-11-01T09:30:00.250Z"), inclusive: true } });
    expect(range("occurred:<2026-11-01t09:30:00z")).toMatchObject({ before: { at: at("2026-11-01T09:30:00Z"), inclusive: false } });
    expect(range("occurred:>=2026-11-01T09:30:00+02:00")).toMatchObject({ after: { at: at("2026-11-01T07:30:00Z") } });
    expect(range("occurred:>=2026-11-01T00:30:00-05:30")).toMatchObject({ after: { at: at("2026-11-01T06:00:00Z") } });
    expect(range("occurred:>=2026-11-01T09:30Z")).toMatchObject({ after: { at: at("2026-11-01T09:30:00Z") } });
    expect(range('occurred:">=2026-11-01 09:30:00Z"')).toMatchObject({ after: { at: at("2026-11-01T09:30:00Z") } });
    expect(range("occurred:>=2026-11-01T09:30:00.123456789Z")).toMatchObject({ after: { at: at("2026-11-01T09:30:00.123Z") } });
  });

  it("reads a timestamp range's end inclusively", () => {
    expect(range("occurred:2026-11-01T09:00:00Z..2026-11-01T10:00:00Z")).toEqual({
      kind: "absolute",
      after: { at: at("2026-11-01T09:00:00Z"), inclusive: true },
      before: { at: at("2026-11-01T10:00:00Z"), inclusive: true },
    });
    expect(range("occurred:2026-11-01T09:00:00.5Z..2026-11-02")).toMatchObject({
      after: { at: at("2026-11-01T09:00:00.500Z") },
      before: { at: at("2026-11-03T00:00:00Z"), inclusive: false },
    });
  });

  it.each([
    ["occurred:>7d", "within", 7, "d"],
    ["occurred:>=7d", "within", 7, "d"],
    ["occurred:>24h", "within", 24, "h"],
    ["occurred:>30m", "within", 30, "m"],
    ["occurred:7d", "within", 7, "d"],
    ["occurred:<7d", "before", 7, "d"],
    ["occurred:<=90d", "before", 90, "d"],
  ])("parses the relative time %s", (input, direction, amount, unit) => {
    expect(range(input)).toEqual({ kind: "relative", direction, amount, unit });
  });

  it.each([
    ["occurred:>7", /not a relative time/],
    ["occurred:>7w", /not a relative time/],
    ["occurred:>7D", /not a relative time/],
    ["occurred:>0d", /not a relative time/],
    ["occurred:>1234567d", /not a relative time/],
    ["occurred:>-7d", /not a date/],
    ["occurred:>1.5h", /not a date/],
    ["occurred:>2026-13-01", /not a date/],
    ["occurred:>2026-02-29", /not a date/],
    ["occurred:>2026-11-31", /not a date/],
    ["occurred:>=2026-11-1", /not a date/],
    ["occurred:>=26-11-01", /not a date/],
    ["occurred:>=2026/11/01", /not a date/],
    ["occurred:>=2026-11-01T25:00:00Z", /not a date/],
    ["occurred:>=2026-11-01T09:60:00Z", /not a date/],
    ["occurred:>=2026-11-01T09:30:00", /not a date/],
    ["occurred:>=2026-11-01T09:30:00+24:00", /not a date/],
    ["occurred:>=yesterday", /not a date/],
    ["occurred:>=", /nothing after >=/],
    ["occurred:<", /nothing after </],
    ["occurred:=2026-11-01", /not a time/],
    ["occurred:yesterday", /not a time/],
    ["occurred:..", /range without ends/],
    ["occurred:2026-11-07..2026-11-01", /ends before it starts/],
    ["occurred:2026-11-01T10:00:00Z..2026-11-01T09:00:00Z", /ends before it starts/],
    ["occurred:2026-11-01..2026-11-40", /not a date/],
    ["occurred:2026-11-01..7d", /not a relative time|not a date/],
    ["occurred:2026-11-01T09:30:00Z", /single instant/],
  ])("rejects %s", (input, message) => {
    const e = failure(input);
    expect(e.message).toMatch(message);
    expect(e).toMatchObject({ start: 0, end: input.length, term: input });
  });

  it("reports the position of a bad occurred term inside a longer query", () => {
    const e = failure("action:user.* occurred:>2026-02-30 ada");
    expect(e).toMatchObject({ start: 14, end: 34, term: "occurred:>2026-02-30" });
  });
});

describe("parseQuery: free text", () => {
  it("parses words and phrases as text terms", () => {
    const { terms } = parseQuery('invoice "acme corp" 42');
    expect(terms).toEqual([
      { key: "text", value: "invoice", negated: false, start: 0, end: 7 },
      { key: "text", value: "acme corp", negated: false, start: 8, end: 19 },
      { key: "text", value: "42", negated: false, start: 20, end: 22 },
    ]);
  });

  it("keeps the case and punctuation of text as written", () => {
    expect(only("Ada@Acme.TEST")).toMatchObject({ key: "text", value: "Ada@Acme.TEST" });
    expect(only("100%_off")).toMatchObject({ key: "text", value: "100%_off" });
  });

  it("rejects an empty phrase", () => {
    expect(failure('a ""')).toMatchObject({ start: 2, end: 4, term: '""' });
  });
});

describe("parseQuery: errors", () => {
  it("rejects an unknown key, names it and lists the known keys", () => {
    const e = failure("action:user.* foo:bar");
    expect(e).toMatchObject({ start: 14, end: 21, term: "foo:bar" });
    expect(e.message).toContain('Unknown key "foo"');
    for (const key of ["action:", "actor:", "actor.id:", "actor.type:", "target:", "ip:", "occurred:"]) expect(e.message).toContain(key);
    expect(e.message).toContain('"foo:bar"');
  });

  it("rejects words with a colon whose first part is not a key", () => {
    expect(failure("https://example.test").message).toContain('Unknown key "https"');
    expect(failure("12:30").message).toContain('Unknown key "12"');
    expect(failure("-nope:x")).toMatchObject({ start: 0, end: 7, term: "-nope:x" });
    expect(failure("text:hello").message).toContain('Unknown key "text"');
    expect(failure("actors:ada").message).toContain('Unknown key "actors"');
  });

  it("rejects a term that starts with a colon", () => {
    const e = failure("a :b");
    expect(e).toMatchObject({ start: 2, end: 4 });
    expect(e.message).toMatch(/Missing key/);
  });

  it.each(["action:", "actor:", "actor.id:", "actor.type:", "target:", "ip:", "occurred:", 'actor:""', "-action:"])("rejects the empty value %s", (input) => {
    const e = failure(input);
    expect(e.message).toMatch(/^Empty value/);
    expect(e).toMatchObject({ start: 0, end: input.length });
  });

  it("names the empty term inside a longer query", () => {
    expect(failure("ada action: bob")).toMatchObject({ start: 4, end: 11, term: "action:" });
  });

  it("rejects an unclosed quote, from its term to the end", () => {
    const e = failure('action:user.* actor:"Ada Lovelace');
    expect(e).toMatchObject({ start: 14, end: 33, term: 'actor:"Ada Lovelace' });
    expect(e.message).toMatch(/Unclosed quote.*position 20/);
    expect(failure('"open')).toMatchObject({ start: 0, end: 5 });
    expect(failure('a "b c \\"')).toMatchObject({ start: 2, end: 9 });
    expect(failure('-"')).toMatchObject({ start: 0, end: 2 });
  });

  it("rejects a lone -", () => {
    expect(failure("-")).toMatchObject({ start: 0, end: 1, term: "-" });
    expect(failure("ada - bob")).toMatchObject({ start: 4, end: 5, term: "-" });
    expect(failure("ada -")).toMatchObject({ start: 4, end: 5 });
    expect(failure("ada -").message).toMatch(/lone '-'/);
  });

  it("reports the first bad term when there are several", () => {
    expect(failure("foo:1 action:")).toMatchObject({ term: "foo:1" });
  });

  it("accepts a query of exactly the maximum length and rejects a longer one", () => {
    const word = "a".repeat(MAX_QUERY_LENGTH);
    expect(parseQuery(word).terms).toHaveLength(1);
    let error: unknown;
    try {
      parseQuery(`${word}b`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ start: MAX_QUERY_LENGTH, end: MAX_QUERY_LENGTH + 1, term: "b" });
    expect((error as QueryError).message).toMatch(/2001 characters.*2000/);
  });

  it("accepts the maximum number of terms and rejects one more, naming it", () => {
    const words = Array.from({ length: MAX_QUERY_TERMS }, (_, i) => `w${i}`);
    expect(parseQuery(words.join(" ")).terms).toHaveLength(MAX_QUERY_TERMS);
    const query = [...words, "extra"].join(" ");
    const e = failure(query);
    expect(e).toMatchObject({ term: "extra", start: query.length - 5, end: query.length });
    expect(e.message).toMatch(/Too many terms/);
  });

  it("is a QueryError that is also an Error", () => {
    const e = failure("foo:bar");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("QueryError");
  });
});

describe("parseQuery: values PostgreSQL cannot take", () => {
  it.each([
    ["a\u0000b", 0, 3],
    ["\u0000", 0, 1],
    ["action:user.* actor:ada\u0000", 14, 24],
    ['-target:"doc\u0000ument"', 0, 19],
    ["ip:\u0000", 0, 4],
    ["occurred:>7d\u0000", 0, 13],
    ["x \ud800", 2, 3],
  ])("rejects the NUL or unpaired surrogate in %j, naming its term", (input, start, end) => {
    const e = failure(input);
    expect(e.message).toMatch(/NUL|surrogate/);
    expect(e).toMatchObject({ start, end });
  });

  it.each([
    "occurred:0000-01-01",
    "occurred:9999-12-31",
    "occurred:<=9999-12-31",
    "occurred:>9999-12-31",
    "occurred:>=0000-12-31T23:59:59Z",
    "occurred:>=0001-01-01T00:30:00+01:00",
    "occurred:..9999-12-31T23:59:59-01:00",
    "occurred:0000-06-01..2020-01-01",
  ])("rejects %s: it reaches outside 0001-01-01 to 9999-12-31", (input) => {
    expect(failure(input).message).toMatch(/between 0001-01-01 and 9999-12-31/);
  });

  it.each(["occurred:>999999d", "occurred:<36501d", "occurred:>876001h", "occurred:999999h"])("rejects %s: relative times reach back at most 100 years", (input) => {
    expect(failure(input).message).toMatch(/at most 36500 days/);
  });

  it("accepts the widest times", () => {
    expect(range("occurred:0001-01-01..9999-12-30")).toEqual({
      kind: "absolute",
      after: { at: at("0001-01-01T00:00:00Z"), inclusive: true },
      before: { at: at("9999-12-31T00:00:00Z"), inclusive: false },
    });
    expect(range("occurred:<=9999-12-31T23:59:59Z")).toMatchObject({ before: { at: at("9999-12-31T23:59:59Z"), inclusive: true } });
    expect(range("occurred:>36500d")).toEqual({ kind: "relative", direction: "within", amount: 36_500, unit: "d" });
    expect(range("occurred:>876000h")).toMatchObject({ amount: 876_000, unit: "h" });
    expect(range("occurred:>999999m")).toMatchObject({ amount: 999_999, unit: "m" });
  });
});

describe("serializeTerm and formatQuery", () => {
  it("writes simple terms bare", () => {
    expect(serializeTerm({ key: "action", value: "user.*" })).toBe("action:user.*");
    expect(serializeTerm({ key: "actor", value: "ada@acme.test", negated: true })).toBe("-actor:ada@acme.test");
    expect(serializeTerm({ key: "target", value: "document:doc_7" })).toBe("target:document:doc_7");
    expect(serializeTerm({ key: "ip", value: "2001:db8::/32" })).toBe("ip:2001:db8::/32");
    expect(serializeTerm({ key: "text", value: "invoice" })).toBe("invoice");
    expect(serializeTerm({ key: "text", value: "e-mail", negated: true })).toBe("-e-mail");
  });

  it("quotes values that need it and escapes quotes and backslashes inside", () => {
    expect(serializeTerm({ key: "actor", value: "Ada Lovelace" })).toBe('actor:"Ada Lovelace"');
    expect(serializeTerm({ key: "text", value: "two words" })).toBe('"two words"');
    expect(serializeTerm({ key: "text", value: "foo:bar" })).toBe('"foo:bar"');
    expect(serializeTerm({ key: "text", value: "-x" })).toBe('"-x"');
    expect(serializeTerm({ key: "text", value: 'say "hi"' })).toBe('"say \\"hi\\""');
    expect(serializeTerm({ key: "actor", value: 'a"b\\c' })).toBe('actor:"a\\"b\\\\c"');
    expect(serializeTerm({ key: "actor", value: "" })).toBe('actor:""');
  });

  it("joins terms with spaces", () => {
    expect(formatQuery([])).toBe("");
    expect(
      formatQuery([
        { key: "action", value: "user.*" },
        { key: "actor", value: "bot", negated: true },
        { key: "text", value: "invoice" },
      ]),
    ).toBe("action:user.* -actor:bot invoice");
  });

  it.each([
    'action:user.* -actor:bot "invoice"',
    'actor:"Ada Lovelace" -"a phrase" word',
    'target:document:"doc 7" ip:10.0.0.0/8 ip:2001:db8::1',
    "occurred:>=2026-11-01 occurred:2026-11-01..2026-11-07 occurred:>7d",
    'occurred:">=2026-11-01 09:30:00Z"',
    '"say \\"hi\\"" "back\\\\slash" a\\b',
    '"foo:bar" "-x" --y e-mail',
    'actor:"tab\there" "new\nline"',
    'actor.id:urn:user:7 actor.type:"api key" ACTION:user.signed_in',
    "actor:zoë \"Zoë Ångström\"",
  ])("round-trips %s", (input) => {
    const parsed = parseQuery(input).terms;
    const formatted = formatQuery(parsed);
    const reparsed = parseQuery(formatted).terms;
    const strip = (terms: QueryTerm[]) => terms.map((term) => ({ ...term, start: 0, end: 0 }));
    expect(strip(reparsed)).toEqual(strip(parsed));
    // Formatting is stable.
    expect(formatQuery(reparsed)).toBe(formatted);
  });

  it("round-trips awkward values built by hand", () => {
    const values = ["", " ", '"', "\\", '\\"', 'a"b', "a b", "a:b", "-", "-a", "a-", ":", "a\\", '""', "x\t\ny", "%_'"];
    for (const value of values) {
      for (const key of ["text", "actor", "actor.id"] as const) {
        if (value === "") continue;
        const text = serializeTerm({ key, value, negated: true });
        expect(only(text)).toMatchObject({ key, value, negated: true });
      }
    }
  });
});
