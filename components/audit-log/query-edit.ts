import { parseQuery, QUERY_KEYS, serializeTerm, type QueryKey, type QueryTerm, type TermInput } from "@/lib/events/query-language";

/*
 * The filter controls and the search box edit one query string. These
 * functions read it (with the same parser as the server) and change it one
 * term at a time, leaving the rest of what the person typed as it was.
 */

/** The query's terms, or null while it does not parse (the server's error says why). */
export function queryTerms(q: string): QueryTerm[] | null {
  try {
    return parseQuery(q).terms;
  } catch {
    return null;
  }
}

export function removeTerm(q: string, term: Pick<QueryTerm, "start" | "end">): string {
  // Only the gap where the term stood closes: spacing inside other terms' quotes is part of their values.
  return `${q.slice(0, term.start).trimEnd()} ${q.slice(term.end).trimStart()}`.trim();
}

export function addTerm(q: string, term: TermInput): string {
  const text = serializeTerm(term);
  return q.trim() ? `${q.trim()} ${text}` : text;
}

/** Adds `action:value`, or removes it when it is already there (the Actions menu's checkboxes). */
export function toggleTerm(q: string, key: QueryKey, value: string): string {
  const find = (query: string) => queryTerms(query)?.find((t) => t.key === key && !t.negated && t.value === value);
  if (!find(q)) return addTerm(q, { key, value });
  // Every copy goes, or the box would stay checked after the click.
  let rest = q;
  for (let term = find(rest); term; term = find(rest)) rest = removeTerm(rest, term);
  return rest;
}

/**
 * A group of `key:value` terms as one checkbox (a severity's actions): when all
 * are there, removes them; otherwise adds those missing.
 */
export function toggleTerms(q: string, key: QueryKey, values: readonly string[]): string {
  const terms = queryTerms(q);
  if (values.every((value) => hasTerm(terms, key, value))) return values.reduce((rest, value) => toggleTerm(rest, key, value), q);
  return values.reduce((rest, value) => (hasTerm(terms, key, value) ? rest : addTerm(rest, { key, value })), q);
}

/** Adds a term (include or exclude) unless the query already has it; the opposite term, if present, goes. */
export function applyTerm(q: string, term: TermInput): string {
  const negated = !!term.negated;
  const terms = queryTerms(q) ?? [];
  if (terms.some((t) => t.key === term.key && t.value === term.value && t.negated === negated)) return q;
  let rest = q;
  for (let opposite = findTerm(rest, term.key, term.value, !negated); opposite; opposite = findTerm(rest, term.key, term.value, !negated)) rest = removeTerm(rest, opposite);
  return addTerm(rest, term);
}

/** Whether the query has this term as a filter to it ("included"), its negation ("excluded"), or neither. */
export function termState(terms: readonly QueryTerm[] | null, term: Omit<TermInput, "negated">): "included" | "excluded" | null {
  const found = terms?.filter((t) => t.key === term.key && t.value === term.value) ?? [];
  if (found.some((t) => !t.negated)) return "included";
  return found.length ? "excluded" : null;
}

/** The top lists' buttons: applies the term (include or exclude), or removes it when the query has it already. */
export function toggleFilterTerm(q: string, term: TermInput): string {
  const negated = !!term.negated;
  if (!findTerm(q, term.key, term.value, negated)) return applyTerm(q, term);
  let rest = q;
  for (let found = findTerm(rest, term.key, term.value, negated); found; found = findTerm(rest, term.key, term.value, negated)) rest = removeTerm(rest, found);
  return rest;
}

/**
 * The term naming one actor exactly: `actor:type:id`. A type with a colon in it
 * cannot be told from its id there, so such an actor is named by `actor.id:` alone.
 */
export function actorFilterTerm(actor: { type: string; id: string }): Omit<TermInput, "negated"> {
  return actor.type.includes(":") ? { key: "actor.id", value: actor.id } : { key: "actor", value: `${actor.type}:${actor.id}` };
}

/** The term naming one target: `target:type:id`. */
export function targetFilterTerm(target: { type: string; id: string }): Omit<TermInput, "negated"> {
  return { key: "target", value: `${target.type}:${target.id}` };
}

function findTerm(q: string, key: QueryKey, value: string, negated: boolean): QueryTerm | undefined {
  return queryTerms(q)?.find((t) => t.key === key && t.value === value && t.negated === negated);
}

export function hasTerm(terms: readonly QueryTerm[] | null, key: QueryKey, value: string): boolean {
  return !!terms?.some((t) => t.key === key && !t.negated && t.value === value);
}

const KEY_LABELS: Record<QueryKey, string> = {
  action: "Action",
  actor: "Actor",
  "actor.id": "Actor id",
  "actor.type": "Actor type",
  target: "Target",
  ip: "IP",
  occurred: "Occurred",
  text: "Text",
};

export function termKeyLabel(key: QueryKey): string {
  return KEY_LABELS[key];
}

/** Action prefixes worth offering: `user.*` for every parent (all but the last word) of more than one action. */
export function actionPrefixes(actions: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const action of actions) {
    const head = action.split(".").slice(0, -1).join(".");
    if (head) counts.set(head, (counts.get(head) ?? 0) + 1);
  }
  return [...counts.entries()].filter(([, n]) => n > 1).map(([head]) => `${head}.*`).sort();
}

export type Suggestion = { label: string; detail?: string; insert: string };
export type SuggestionSource = { actions: { action: string; label: string | null }[]; actors: string[]; targetTypes: string[] };

const KEY_HINTS: Record<string, string> = {
  action: "exact or prefix: user.*",
  actor: "id, name or email",
  "actor.id": "the actor's id",
  "actor.type": "user, api_key, service…",
  target: "type or type:id",
  ip: "address or CIDR",
  occurred: ">7d, >=2026-11-01, a..b",
};

const OCCURRED_VALUES = [">1h", ">24h", ">7d", ">30d"];

/**
 * What to offer for the word under the caret: keys while it has no colon,
 * then values of that key (actions from the facets, recent actors and target
 * types from the loaded events). `insert` replaces the word.
 */
export function suggestionsAt(q: string, caret: number, source: SuggestionSource): { start: number; end: number; items: Suggestion[] } {
  let start = caret;
  while (start > 0 && !/\s/.test(q[start - 1]!)) start--;
  let end = caret;
  while (end < q.length && !/\s/.test(q[end]!)) end++;
  const word = q.slice(start, end);
  const sign = word.startsWith("-") ? "-" : "";
  const body = word.slice(sign.length);
  const colon = body.indexOf(":");
  if (colon < 0) {
    const items = QUERY_KEYS.filter((k) => k.startsWith(body.toLowerCase()) && k !== body).map((k) => ({ label: `${sign}${k}:`, detail: KEY_HINTS[k], insert: `${sign}${k}:` }));
    return { start, end, items: body.length === 0 && !sign ? items : items.slice(0, 8) };
  }
  // Keys are case-insensitive to the parser, so `Action:` gets the same values.
  const key = body.slice(0, colon).toLowerCase();
  const value = body.slice(colon + 1).replace(/^"/, "").toLowerCase();
  // Values that start with what was typed come first, then those that only contain it.
  const values = (candidates: { value: string; detail?: string }[]) =>
    candidates
      .filter((c) => c.value.toLowerCase().includes(value) && c.value.toLowerCase() !== value)
      .map((c, index) => ({ c, index, prefix: c.value.toLowerCase().startsWith(value) }))
      .sort((a, b) => Number(b.prefix) - Number(a.prefix) || a.index - b.index)
      .map(({ c }) => c)
      .slice(0, 8)
      .map((c) => ({ label: c.value, detail: c.detail, insert: `${sign}${serializeTerm({ key: key as QueryKey, value: c.value })}` }));
  switch (key) {
    case "action": {
      const names = source.actions.map((a) => a.action);
      return { start, end, items: values([...actionPrefixes(names).map((p) => ({ value: p, detail: "prefix" })), ...source.actions.map((a) => ({ value: a.action, detail: a.label ?? undefined }))]) };
    }
    case "actor":
    case "actor.id":
      return { start, end, items: values(source.actors.map((a) => ({ value: a, detail: "recent" }))) };
    case "target":
      return { start, end, items: values(source.targetTypes.map((t) => ({ value: t, detail: "target type" }))) };
    case "occurred":
      return { start, end, items: values(OCCURRED_VALUES.map((v) => ({ value: v, detail: "relative" }))) };
    default:
      return { start, end, items: [] };
  }
}
