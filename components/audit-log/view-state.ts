/*
 * The viewer's state as it lives in the URL (?q, range, from, to, order, event):
 * parsed the same way by the server page and the browser, so a shared link or
 * a reload shows the same view.
 */

import type { OccurredRange, QueryTerm } from "@/lib/events/query-language";
import { isWithinTimeBounds } from "@/lib/events/time-bounds";
import { DEFAULT_RANGE, RANGE_PRESETS, type RangeId } from "@/lib/events/range-presets";

export { DEFAULT_RANGE, RANGE_PRESETS, type RangeId, type RangePresetId } from "@/lib/events/range-presets";

export type ViewState = {
  q: string;
  range: RangeId;
  /** Only for a custom range: RFC 3339 instants. */
  from: string | null;
  to: string | null;
  order: "asc" | "desc";
  /** The event open in the side panel. */
  event: string | null;
};

/** The time window a view resolves to at one moment; presets count back from then. */
export type ViewWindow = { from: string | null; to: string | null };

type Params = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(params: Params, name: string): string | null {
  if (typeof (params as { get?: unknown }).get === "function") return (params as { get(name: string): string | null }).get(name);
  const value = (params as Record<string, string | string[] | undefined>)[name];
  return typeof value === "string" ? value : null;
}

// Out of the shared time bounds counts as malformed: the view falls back to its default range.
const isInstant = (value: string | null): value is string => value !== null && value.length <= 40 && isWithinTimeBounds(Date.parse(value));

export function parseViewState(params: Params): ViewState {
  const from = read(params, "from");
  const to = read(params, "to");
  const rangeParam = read(params, "range");
  const preset = RANGE_PRESETS.find((p) => p.id === rangeParam);
  const custom = !preset && (isInstant(from) || isInstant(to));
  const event = read(params, "event");
  return {
    q: (read(params, "q") ?? "").slice(0, 2000),
    range: preset ? preset.id : custom ? "custom" : DEFAULT_RANGE,
    from: custom && isInstant(from) ? new Date(from).toISOString() : null,
    to: custom && isInstant(to) ? new Date(to).toISOString() : null,
    order: read(params, "order") === "asc" ? "asc" : "desc",
    event: event && /^[0-9a-f-]{36}$/i.test(event) ? event : null,
  };
}

/** The query string of a view; defaults are left out so links stay short. */
export function viewSearch(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.q) params.set("q", view.q);
  if (view.range === "custom") {
    if (view.from) params.set("from", view.from);
    if (view.to) params.set("to", view.to);
  } else if (view.range !== DEFAULT_RANGE) {
    params.set("range", view.range);
  }
  if (view.order === "asc") params.set("order", "asc");
  if (view.event) params.set("event", view.event);
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** What selects the result set (the open event does not). */
export function resultKey(view: ViewState): string {
  return JSON.stringify([view.q, view.range, view.from, view.to, view.order]);
}

export function resolveWindow(view: ViewState, now: number = Date.now()): ViewWindow {
  if (view.range === "custom") return { from: view.from, to: view.to };
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  return { from: preset?.ms ? new Date(now - preset.ms).toISOString() : null, to: null };
}

export function rangeLabel(view: ViewState): string {
  return RANGE_PRESETS.find((p) => p.id === view.range)?.label ?? "Custom range";
}

/** A view's window and the moment it was resolved (relative `occurred:` terms count back from it too). */
export function resolveView(view: ViewState): { window: ViewWindow; at: number } {
  const at = Date.now();
  return { window: resolveWindow(view, at), at };
}

/**
 * The one window a view shows: the range picker's, narrowed by the query's
 * `occurred:` terms (which the server ANDs with it). `narrowed` when the terms
 * cut it; `empty` when nothing is left. A negated two-sided range leaves a gap,
 * not a window, so it does not narrow.
 */
export type EffectiveWindow = ViewWindow & { narrowed: boolean; empty: boolean };

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** The instants a range keeps, as [from, to) in ms (either may be open); null for a gap (a negated two-sided range). */
function occurredBounds(range: OccurredRange, negated: boolean, now: number): { from: number | null; to: number | null } | null {
  if (range.kind === "relative") {
    const boundary = now - range.amount * UNIT_MS[range.unit];
    const within = (range.direction === "within") !== negated;
    return within ? { from: boundary, to: null } : { from: null, to: boundary };
  }
  // An inclusive end keeps its own instant, so the exclusive `to` is the next millisecond.
  const after = range.after ? range.after.at.getTime() + (range.after.inclusive ? 0 : 1) : null;
  const before = range.before ? range.before.at.getTime() + (range.before.inclusive ? 1 : 0) : null;
  if (!negated) return { from: after, to: before };
  if (after !== null && before !== null) return null;
  return after !== null ? { from: null, to: after } : { from: before, to: null };
}

export function effectiveWindow(window: ViewWindow, terms: readonly QueryTerm[] | null, now: number): EffectiveWindow {
  let from = window.from ? Date.parse(window.from) : null;
  let to = window.to ? Date.parse(window.to) : null;
  let narrowed = false;
  for (const term of terms ?? []) {
    if (term.key !== "occurred") continue;
    const bounds = occurredBounds(term.range, term.negated, now);
    if (!bounds) continue;
    if (bounds.from !== null && (from === null || bounds.from > from)) {
      from = bounds.from;
      narrowed = true;
    }
    if (bounds.to !== null && (to === null || bounds.to < to)) {
      to = bounds.to;
      narrowed = true;
    }
  }
  if (!narrowed) return { ...window, narrowed: false, empty: false };
  return {
    from: from === null ? null : new Date(from).toISOString(),
    to: to === null ? null : new Date(to).toISOString(),
    narrowed: true,
    empty: from !== null && to !== null && from >= to,
  };
}
