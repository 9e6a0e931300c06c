import { describe, expect, it } from "vitest";
import { QUERY_KEYS, type QueryTerm } from "@/lib/events/query-language";
import {
  actionPrefixes,
  actorFilterTerm,
  addTerm,
  applyTerm,
  hasTerm,
  queryTerms,
  removeTerm,
  suggestionsAt,
  targetFilterTerm,
  termKeyLabel,
  termState,
  toggleFilterTerm,
  toggleTerm,
  toggleTerms,
  type SuggestionSource,
} from "./query-edit";

/** What a term means, without where it stands. */
const meaning = (terms: readonly QueryTerm[] | null) => terms?.map((t) => ({ key: t.key, value: t.value, negated: t.negated })) ?? null;

function termOf(q: string, text: string): QueryTerm {
  const term = queryTerms(q)!.find((t) => q.slice(t.start, t.end) === text);
  if (!term) throw new Error(`${text} is not a term of ${q}`);
  return term;
}

describe("queryTerms", () => {
  it("has no terms for an empty or blank query", () => {
    expect(queryTerms("")).toEqual([]);
    expect(queryTerms("   \t ")).toEqual([]);
  });

  it("reads keys, quoted phrases and negations with their places in the query", () => {
    const q = 'action:user.* -actor:"Ada Lovelace" "two words" -ip:10.0.0.0/8';
    expect(meaning(queryTerms(q))).toEqual([
      { key: "action", value: "user.*", negated: false },
      { key: "actor", value: "Ada Lovelace", negated: true },
      { key: "text", value: "two words", negated: false },
      { key: "ip", value: "10.0.0.0/8", negated: true },
    ]);
    expect(queryTerms(q)!.map((t) => q.slice(t.start, t.end))).toEqual(["action:user.*", '-actor:"Ada Lovelace"', '"two words"', "-ip:10.0.0.0/8"]);
  });

  it("is null while the query does not parse", () => {
    for (const bad of ["colour:blue", 'actor:"Ada', "action:User.Signed_In", "-", "occurred:yesterday"]) expect(queryTerms(bad), bad).toBeNull();
  });
});

describe("removeTerm", () => {
  it("removes the first, a middle or the last term, with one space left between the others", () => {
    const q = "action:user.* actor:ada ip:10.0.0.1";
    expect(removeTerm(q, termOf(q, "action:user.*"))).toBe("actor:ada ip:10.0.0.1");
    expect(removeTerm(q, termOf(q, "actor:ada"))).toBe("action:user.* ip:10.0.0.1");
    expect(removeTerm(q, termOf(q, "ip:10.0.0.1"))).toBe("action:user.* actor:ada");
  });

  it("leaves an empty query when the only term goes", () => {
    expect(removeTerm("  action:user.*  ", termOf("  action:user.*  ", "action:user.*"))).toBe("");
  });

  it("removes a negated term with its minus, and a quoted phrase whole", () => {
    const q = '-action:user.signed_out actor:"Ada Lovelace" "not found"';
    expect(removeTerm(q, termOf(q, "-action:user.signed_out"))).toBe('actor:"Ada Lovelace" "not found"');
    expect(removeTerm(q, termOf(q, 'actor:"Ada Lovelace"'))).toBe('-action:user.signed_out "not found"');
    expect(removeTerm(q, termOf(q, '"not found"'))).toBe('-action:user.signed_out actor:"Ada Lovelace"');
  });

  it("leaves the spacing inside the other terms' quotes as it was", () => {
    const q = 'actor:"Ada  Lovelace" action:user.* "tab\there"';
    expect(removeTerm(q, termOf(q, "action:user.*"))).toBe('actor:"Ada  Lovelace" "tab\there"');
    expect(meaning(queryTerms(removeTerm(q, termOf(q, "action:user.*"))))).toEqual([
      { key: "actor", value: "Ada  Lovelace", negated: false },
      { key: "text", value: "tab\there", negated: false },
    ]);
  });

  it("keeps every other term's meaning, whichever term goes", () => {
    const q = 'action:user.* -actor:"Ada \\"the\\" Countess" "error  rate" target:document:doc_7 -occurred:>7d ip:2001:db8::/32';
    const terms = queryTerms(q)!;
    terms.forEach((term, i) => {
      const rest = removeTerm(q, term);
      expect(meaning(queryTerms(rest)), rest).toEqual(meaning(terms.filter((_, j) => j !== i)));
    });
  });
});

describe("addTerm", () => {
  it("makes the term the whole query when there is none", () => {
    expect(addTerm("", { key: "action", value: "user.signed_in" })).toBe("action:user.signed_in");
    expect(addTerm("   ", { key: "actor", value: "ada" })).toBe("actor:ada");
  });

  it("appends after one space, without the trailing space typed before", () => {
    expect(addTerm("action:user.*  ", { key: "actor", value: "ada" })).toBe("action:user.* actor:ada");
  });

  it("quotes what would not read back otherwise", () => {
    expect(addTerm("", { key: "actor", value: "Ada Lovelace" })).toBe('actor:"Ada Lovelace"');
    expect(addTerm("", { key: "actor", value: 'say "hi"' })).toBe('actor:"say \\"hi\\""');
    expect(addTerm("", { key: "text", value: "a:b" })).toBe('"a:b"');
    expect(addTerm("", { key: "text", value: "-dash" })).toBe('"-dash"');
    expect(addTerm("", { key: "target", value: "document:doc_7" })).toBe("target:document:doc_7");
    expect(addTerm("", { key: "action", value: "user.signed_in", negated: true })).toBe("-action:user.signed_in");
  });

  it("adds a term that reads back with the same key, value and negation, after the others", () => {
    const q = 'action:user.* "two words"';
    for (const term of [
      { key: "actor" as const, value: 'O\'Brien "Bob" \\ Jr', negated: false },
      { key: "text" as const, value: "-x:y z", negated: true },
      { key: "target" as const, value: "document:doc 7", negated: false },
    ]) {
      const next = addTerm(q, term);
      expect(meaning(queryTerms(next)), next).toEqual([...meaning(queryTerms(q))!, term]);
    }
  });
});

describe("toggleTerm and hasTerm", () => {
  it("adds a term that is not there and removes it when it is", () => {
    const on = toggleTerm("actor:ada", "action", "user.signed_in");
    expect(on).toBe("actor:ada action:user.signed_in");
    expect(hasTerm(queryTerms(on), "action", "user.signed_in")).toBe(true);
    const off = toggleTerm(on, "action", "user.signed_in");
    expect(off).toBe("actor:ada");
    expect(hasTerm(queryTerms(off), "action", "user.signed_in")).toBe(false);
  });

  it("toggles on an empty query, and back to empty", () => {
    expect(toggleTerm("", "action", "user.*")).toBe("action:user.*");
    expect(toggleTerm("action:user.*", "action", "user.*")).toBe("");
  });

  it("finds the term however its value was quoted", () => {
    expect(hasTerm(queryTerms('action:"user.signed_in"'), "action", "user.signed_in")).toBe(true);
    expect(toggleTerm('actor:ada action:"user.signed_in"', "action", "user.signed_in")).toBe("actor:ada");
  });

  it("unchecks a term written twice: every copy goes", () => {
    const q = "action:user.signed_in actor:ada action:user.signed_in";
    const off = toggleTerm(q, "action", "user.signed_in");
    expect(off).toBe("actor:ada");
    expect(hasTerm(queryTerms(off), "action", "user.signed_in")).toBe(false);
  });

  it("does not count a negated term, nor the same value under another key or another value", () => {
    const q = "-action:user.signed_in actor:user.signed_in action:user.*";
    const terms = queryTerms(q);
    expect(hasTerm(terms, "action", "user.signed_in")).toBe(false);
    expect(hasTerm(terms, "action", "user.*")).toBe(true);
    expect(hasTerm(terms, "actor", "user.signed_in")).toBe(true);
    // The exclusion stays; the box adds the positive term beside it.
    expect(toggleTerm(q, "action", "user.signed_in")).toBe(`${q} action:user.signed_in`);
  });

  it("appends to a query that does not parse yet, and finds nothing in it", () => {
    expect(hasTerm(queryTerms("colour:blue action:user.*"), "action", "user.*")).toBe(false);
    expect(hasTerm(null, "action", "user.*")).toBe(false);
    expect(toggleTerm("colour:blue", "action", "user.*")).toBe("colour:blue action:user.*");
  });

  it("leaves the rest of the query as typed, quotes and all", () => {
    const q = 'actor:"Ada  Lovelace"  action:user.*';
    expect(toggleTerm(q, "action", "user.*")).toBe('actor:"Ada  Lovelace"');
    expect(toggleTerm(toggleTerm(q, "action", "document.shared"), "action", "document.shared")).toBe(q);
  });
});

describe("toggleTerms", () => {
  const high = ["api_key.created", "user.role_changed"];

  it("adds the missing terms of a group, keeping the rest of the query", () => {
    expect(toggleTerms("", "action", high)).toBe("action:api_key.created action:user.role_changed");
    expect(toggleTerms("actor:ada action:user.role_changed", "action", high)).toBe("actor:ada action:user.role_changed action:api_key.created");
  });

  it("removes them all when all are there, every copy", () => {
    expect(toggleTerms("actor:ada action:api_key.created action:user.role_changed", "action", high)).toBe("actor:ada");
    expect(toggleTerms("action:api_key.created action:user.role_changed action:api_key.created", "action", high)).toBe("");
  });

  it("leaves negated terms of the same values alone", () => {
    expect(toggleTerms("-action:api_key.created", "action", high)).toBe("-action:api_key.created action:api_key.created action:user.role_changed");
  });
});

describe("applyTerm", () => {
  it("adds a term to filter by, or its negation to exclude", () => {
    expect(applyTerm("", { key: "action", value: "user.signed_in" })).toBe("action:user.signed_in");
    expect(applyTerm("action:user.*", { key: "ip", value: "203.0.113.7", negated: true })).toBe("action:user.* -ip:203.0.113.7");
    expect(applyTerm("", { key: "actor.id", value: "Ada Lovelace" })).toBe('actor.id:"Ada Lovelace"');
  });

  it("does not write a term twice", () => {
    expect(applyTerm("action:user.signed_in", { key: "action", value: "user.signed_in" })).toBe("action:user.signed_in");
    expect(applyTerm("-ip:203.0.113.7", { key: "ip", value: "203.0.113.7", negated: true })).toBe("-ip:203.0.113.7");
  });

  it("replaces the opposite term: excluding what was filtered to, or the reverse", () => {
    expect(applyTerm("actor:ada action:user.signed_in", { key: "action", value: "user.signed_in", negated: true })).toBe("actor:ada -action:user.signed_in");
    expect(applyTerm("-ip:203.0.113.7 actor:ada", { key: "ip", value: "203.0.113.7" })).toBe("actor:ada ip:203.0.113.7");
  });
});

describe("toggleFilterTerm and termState", () => {
  const ada = actorFilterTerm({ type: "user", id: "u_ada" });

  it("includes, excludes, and takes either back out when pressed again", () => {
    const included = toggleFilterTerm("action:user.*", ada);
    expect(included).toBe("action:user.* actor:user:u_ada");
    expect(termState(queryTerms(included), ada)).toBe("included");
    expect(toggleFilterTerm(included, ada)).toBe("action:user.*");
    const excluded = toggleFilterTerm(included, { ...ada, negated: true });
    expect(excluded).toBe("action:user.* -actor:user:u_ada");
    expect(termState(queryTerms(excluded), ada)).toBe("excluded");
    expect(toggleFilterTerm(excluded, { ...ada, negated: true })).toBe("action:user.*");
    expect(termState(queryTerms("action:user.*"), ada)).toBeNull();
  });

  it("removes every copy of the term", () => {
    expect(toggleFilterTerm("ip:10.0.0.1 actor:x ip:10.0.0.1", { key: "ip", value: "10.0.0.1" })).toBe("actor:x");
  });
});

describe("actorFilterTerm and targetFilterTerm", () => {
  it("name one actor or target by type and id, as the query language reads them back", () => {
    const actor = actorFilterTerm({ type: "user", id: "u:42 x" });
    expect(actor).toEqual({ key: "actor", value: "user:u:42 x" });
    const [term] = queryTerms(addTerm("", actor))!;
    expect(term).toMatchObject({ key: "actor", typed: { type: "user", id: "u:42 x" } });
    expect(targetFilterTerm({ type: "document", id: "doc_7" })).toEqual({ key: "target", value: "document:doc_7" });
  });

  it("fall back to actor.id for a type the colon form cannot carry", () => {
    expect(actorFilterTerm({ type: "svc:internal", id: "s_1" })).toEqual({ key: "actor.id", value: "s_1" });
  });
});

describe("termKeyLabel", () => {
  it("names every key, free text included", () => {
    for (const key of [...QUERY_KEYS, "text" as const]) expect(termKeyLabel(key)).toMatch(/^[A-Z]/);
    expect(termKeyLabel("actor.id")).toBe("Actor id");
    expect(termKeyLabel("ip")).toBe("IP");
    expect(termKeyLabel("text")).toBe("Text");
  });
});

describe("actionPrefixes", () => {
  it("offers a prefix for every parent with more than one action, sorted", () => {
    expect(actionPrefixes(["user.signed_in", "document.shared", "user.signed_out", "document.deleted", "project.archived"])).toEqual(["document.*", "user.*"]);
  });

  it("groups by everything before the last word", () => {
    expect(actionPrefixes(["orgtrail.member.joined", "orgtrail.member.removed", "orgtrail.schema.action_created"])).toEqual(["orgtrail.member.*"]);
  });

  it("offers nothing for no actions, single actions or one-word actions", () => {
    expect(actionPrefixes([])).toEqual([]);
    expect(actionPrefixes(["user.signed_in"])).toEqual([]);
    expect(actionPrefixes(["deploy", "rollback"])).toEqual([]);
  });
});

describe("suggestionsAt", () => {
  const source: SuggestionSource = {
    actions: [
      { action: "user.signed_in", label: "Signed in" },
      { action: "user.signed_out", label: null },
      { action: "document.shared", label: "Document shared" },
      { action: "share.revoked", label: null },
    ],
    actors: ["Ada Lovelace", "u_42", "grace@navy.test"],
    targetTypes: ["document", "project"],
  };
  const labels = (q: string, caret = q.length) => suggestionsAt(q, caret, source).items.map((i) => i.label);

  it("offers every key, with a hint, in an empty box or after a space", () => {
    const empty = suggestionsAt("", 0, source);
    expect(empty.start).toBe(0);
    expect(empty.end).toBe(0);
    expect(empty.items.map((i) => i.insert)).toEqual(QUERY_KEYS.map((k) => `${k}:`));
    expect(empty.items.every((i) => i.detail)).toBe(true);
    const afterSpace = suggestionsAt("action:user.* ", 14, source);
    expect(afterSpace).toMatchObject({ start: 14, end: 14 });
    expect(afterSpace.items).toHaveLength(QUERY_KEYS.length);
  });

  it("completes a key from its start, case-insensitively, and keeps a minus", () => {
    expect(labels("acti")).toEqual(["action:"]);
    expect(labels("ACT")).toEqual(["action:", "actor:", "actor.id:", "actor.type:"]);
    expect(labels("actor.")).toEqual(["actor.id:", "actor.type:"]);
    expect(suggestionsAt("-ta", 3, source).items).toEqual([{ label: "-target:", detail: "type or type:id", insert: "-target:" }]);
    expect(labels("zzz")).toEqual([]);
  });

  it("replaces the whole word under the caret, wherever the caret is in it", () => {
    const q = "actor:ada acti ip:10.0.0.1";
    const inside = suggestionsAt(q, 12, source);
    expect(inside).toMatchObject({ start: 10, end: 14 });
    expect(inside.items.map((i) => i.label)).toEqual(["action:"]);
    expect(suggestionsAt(q, 10, source)).toMatchObject({ start: 10, end: 14 });
  });

  it("offers actions and action prefixes containing what was typed, those starting with it first", () => {
    const items = suggestionsAt("action:sha", 10, source).items;
    expect(items.map((i) => i.label)).toEqual(["share.revoked", "document.shared"]);
    expect(items.map((i) => i.insert)).toEqual(["action:share.revoked", "action:document.shared"]);
    expect(suggestionsAt("action:us", 9, source).items).toEqual([
      { label: "user.*", detail: "prefix", insert: "action:user.*" },
      { label: "user.signed_in", detail: "Signed in", insert: "action:user.signed_in" },
      { label: "user.signed_out", detail: undefined, insert: "action:user.signed_out" },
    ]);
  });

  it("reads a key typed in capitals as the parser does", () => {
    expect(suggestionsAt("Action:us", 9, source).items.map((i) => i.insert)).toEqual(["action:user.*", "action:user.signed_in", "action:user.signed_out"]);
    expect(labels("TARGET:doc")).toEqual(["document"]);
  });

  it("does not offer the value already typed in full", () => {
    expect(labels("action:user.signed_in")).toEqual([]);
    expect(labels("action:user.signed_")).toEqual(["user.signed_in", "user.signed_out"]);
  });

  it("keeps the minus of a negated term in what it inserts", () => {
    expect(suggestionsAt("-action:user.signed_o", 21, source).items.map((i) => i.insert)).toEqual(["-action:user.signed_out"]);
  });

  it("offers recent actors, quoted where they need it, also after an opening quote", () => {
    expect(suggestionsAt("actor:ada", 9, source).items).toEqual([{ label: "Ada Lovelace", detail: "recent", insert: 'actor:"Ada Lovelace"' }]);
    const quoted = suggestionsAt('actor:"Ad', 9, source);
    expect(quoted).toMatchObject({ start: 0, end: 9 });
    expect(quoted.items.map((i) => i.insert)).toEqual(['actor:"Ada Lovelace"']);
    expect(labels("actor.id:u_")).toEqual(["u_42"]);
  });

  it("offers target types and relative times", () => {
    expect(suggestionsAt("target:pro", 10, source).items).toEqual([{ label: "project", detail: "target type", insert: "target:project" }]);
    expect(labels("occurred:")).toEqual([">1h", ">24h", ">7d", ">30d"]);
    expect(labels("occurred:>7")).toEqual([">7d"]);
  });

  it("offers no values for keys without a list, nor for unknown keys", () => {
    for (const q of ["ip:10", "actor.type:us", "colour:bl", "text:x"]) expect(labels(q), q).toEqual([]);
  });

  it("offers at most eight values", () => {
    const many: SuggestionSource = { ...source, actors: Array.from({ length: 20 }, (_, i) => `user_${i}`) };
    expect(suggestionsAt("actor:user", 10, many).items).toHaveLength(8);
  });

  it("suggestions insert terms that parse to what they show", () => {
    for (const q of ["action:", "-actor:", "target:", "occurred:"]) {
      for (const item of suggestionsAt(q, q.length, source).items) {
        const terms = queryTerms(item.insert);
        expect(terms, item.insert).toHaveLength(1);
        expect(terms![0]!.value).toBe(item.label);
        expect(terms![0]!.negated).toBe(q.startsWith("-"));
      }
    }
  });
});
