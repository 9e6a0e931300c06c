import { describe, expect, it } from "vitest";
import { parseQuery } from "@/lib/events/query-language";
import { DEFAULT_RANGE, effectiveWindow, parseViewState, RANGE_PRESETS, rangeLabel, resolveWindow, resultKey, viewSearch, type ViewState, type ViewWindow } from "./view-state";

const EVENT_ID = "0b7e7c1e-3f4a-4c52-9a57-2d0c8f1e6a90";
const DEFAULT_VIEW: ViewState = { q: "", range: DEFAULT_RANGE, from: null, to: null, order: "desc", event: null };

const fromUrl = (search: string) => parseViewState(new URLSearchParams(search));
const view = (overrides: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...overrides });

describe("parseViewState", () => {
  it("gives the default view for an empty query string, from URLSearchParams and from a page's searchParams alike", () => {
    expect(fromUrl("")).toEqual(DEFAULT_VIEW);
    expect(parseViewState({})).toEqual(DEFAULT_VIEW);
    expect(DEFAULT_VIEW.range).toBe("30d");
  });

  it("reads a page's searchParams record the same way as URLSearchParams", () => {
    const search = `q=${encodeURIComponent("action:user.*")}&range=7d&order=asc&event=${EVENT_ID}`;
    const record = Object.fromEntries(new URLSearchParams(search));
    expect(parseViewState(record)).toEqual(fromUrl(search));
    expect(parseViewState(record)).toEqual(view({ q: "action:user.*", range: "7d", order: "asc", event: EVENT_ID }));
  });

  it("ignores a repeated parameter in a searchParams record (an array), where URLSearchParams takes the first", () => {
    expect(parseViewState({ q: ["a", "b"], range: ["7d", "24h"] })).toEqual(DEFAULT_VIEW);
    expect(fromUrl("q=a&q=b&range=7d&range=24h")).toEqual(view({ q: "a", range: "7d" }));
  });

  it.each(RANGE_PRESETS.map((p) => p.id))("reads the preset range %s", (id) => {
    expect(fromUrl(`range=${id}`)).toEqual(view({ range: id }));
  });

  it("falls back to the default range for an unknown one, and for `custom` without a valid instant", () => {
    expect(fromUrl("range=2w").range).toBe(DEFAULT_RANGE);
    expect(fromUrl("range=").range).toBe(DEFAULT_RANGE);
    expect(fromUrl("range=custom")).toEqual(DEFAULT_VIEW);
    expect(fromUrl("range=custom&from=yesterday&to=")).toEqual(DEFAULT_VIEW);
  });

  it("reads a custom range from either or both ends, as UTC instants", () => {
    expect(fromUrl("from=2026-11-01T09:30:00%2B02:00&to=2026-11-07T00:00:00Z")).toEqual(
      view({ range: "custom", from: "2026-11-01T07:30:00.000Z", to: "2026-11-07T00:00:00.000Z" }),
    );
    expect(fromUrl("from=2026-11-01")).toEqual(view({ range: "custom", from: "2026-11-01T00:00:00.000Z" }));
    expect(fromUrl("to=2026-11-07T12:00:00.250Z")).toEqual(view({ range: "custom", to: "2026-11-07T12:00:00.250Z" }));
  });

  it("drops the unreadable end of a custom range and keeps the other", () => {
    expect(fromUrl("from=2026-11-01T00:00:00Z&to=soon")).toEqual(view({ range: "custom", from: "2026-11-01T00:00:00.000Z" }));
    expect(fromUrl("from=not-a-date&to=2026-11-07T00:00:00Z")).toEqual(view({ range: "custom", to: "2026-11-07T00:00:00.000Z" }));
  });

  it("refuses an instant longer than 40 characters (no unbounded parsing of the URL)", () => {
    const long = `2026-11-01T00:00:00.000000000000000000000Z`;
    expect(long.length).toBeGreaterThan(40);
    expect(fromUrl(`from=${long}`)).toEqual(DEFAULT_VIEW);
  });

  it("drops an instant outside the years 1 to 9999, which the database could not take", () => {
    expect(fromUrl(`from=${encodeURIComponent("+010000-01-01T00:00:00Z")}`)).toEqual(DEFAULT_VIEW);
    expect(fromUrl(`from=${encodeURIComponent("-000001-01-01T00:00:00Z")}&to=9999-12-31T23:59:59.999Z`)).toEqual(view({ range: "custom", to: "9999-12-31T23:59:59.999Z" }));
    expect(fromUrl("from=0001-01-01T00:00:00Z")).toEqual(view({ range: "custom", from: "0001-01-01T00:00:00.000Z" }));
  });

  it("lets a preset range win over from and to", () => {
    expect(fromUrl("range=7d&from=2026-11-01T00:00:00Z&to=2026-11-07T00:00:00Z")).toEqual(view({ range: "7d" }));
    expect(fromUrl("range=all&from=2026-11-01T00:00:00Z")).toEqual(view({ range: "all" }));
  });

  it("sorts oldest first only for order=asc", () => {
    expect(fromUrl("order=asc").order).toBe("asc");
    for (const order of ["desc", "ASC", "up", ""]) expect(fromUrl(`order=${order}`).order).toBe("desc");
  });

  it("opens only an event id shaped like a UUID", () => {
    expect(fromUrl(`event=${EVENT_ID}`).event).toBe(EVENT_ID);
    expect(fromUrl(`event=${EVENT_ID.toUpperCase()}`).event).toBe(EVENT_ID.toUpperCase());
    for (const bad of [EVENT_ID.slice(1), `${EVENT_ID}0`, EVENT_ID.replace("0b", "zz"), "../../admin", ""]) {
      expect(fromUrl(`event=${encodeURIComponent(bad)}`).event, bad).toBeNull();
    }
  });

  it("keeps the query as typed, cut at 2000 characters", () => {
    expect(fromUrl(`q=${encodeURIComponent('  actor:"Ada Lovelace"  -action:user.* ')}`).q).toBe('  actor:"Ada Lovelace"  -action:user.* ');
    expect(fromUrl(`q=${"x".repeat(2500)}`).q).toBe("x".repeat(2000));
  });
});

describe("viewSearch", () => {
  it("is empty for the default view, and leaves defaults out of any other", () => {
    expect(viewSearch(DEFAULT_VIEW)).toBe("");
    expect(viewSearch(view({ range: DEFAULT_RANGE, order: "desc", q: "" }))).toBe("");
    expect(viewSearch(view({ order: "asc" }))).toBe("?order=asc");
    expect(viewSearch(view({ range: "all" }))).toBe("?range=all");
  });

  it("writes the parameters in a stable order, encoded", () => {
    expect(viewSearch(view({ q: "action:user.* ada", range: "24h", order: "asc", event: EVENT_ID }))).toBe(
      `?q=action%3Auser.*+ada&range=24h&order=asc&event=${EVENT_ID}`,
    );
  });

  it("writes a custom range as from and to, without a range parameter", () => {
    expect(viewSearch(view({ range: "custom", from: "2026-11-01T00:00:00.000Z", to: "2026-11-02T00:00:00.000Z" }))).toBe(
      "?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z",
    );
    expect(viewSearch(view({ range: "custom", from: null, to: "2026-11-02T00:00:00.000Z" }))).toBe("?to=2026-11-02T00%3A00%3A00.000Z");
  });

  it("leaves out from and to of a preset range (a view switched back from a custom range)", () => {
    expect(viewSearch(view({ range: "7d", from: "2026-11-01T00:00:00.000Z", to: "2026-11-02T00:00:00.000Z" }))).toBe("?range=7d");
  });

  it.each<[string, Partial<ViewState>]>([
    ["the default view", {}],
    ["a preset", { range: "1h" }],
    ["all time, oldest first", { range: "all", order: "asc" }],
    ["a custom range", { range: "custom", from: "2026-11-01T07:30:00.000Z", to: "2026-11-07T00:00:00.000Z" }],
    ["a range open at the start", { range: "custom", from: null, to: "2026-11-07T00:00:00.000Z" }],
    ["an open event", { event: EVENT_ID }],
    ["a query with quotes, negation and URL metacharacters", { q: '-actor:"Ada & Bob" "50% off" a+b=c #tag ?x /y' }],
    ["a query with accents and emoji", { q: 'actor:"Zoë Ünal" 🚀' }],
    ["a query with spaces around it", { q: "  action:user.*  " }],
  ])("round-trips %s through the URL", (_, overrides) => {
    const original = view(overrides);
    const search = viewSearch(original);
    expect(fromUrl(search.replace(/^\?/, ""))).toEqual(original);
    // And the link built from the parsed view is the same link.
    expect(viewSearch(fromUrl(search.replace(/^\?/, "")))).toBe(search);
  });

  it("turns any link into its canonical form", () => {
    const canonical = (search: string) => viewSearch(fromUrl(search));
    expect(canonical("range=30d&order=desc&q=")).toBe("");
    expect(canonical("range=bogus&event=nope")).toBe("");
    expect(canonical("from=2026-11-01T09:30:00%2B02:00")).toBe("?from=2026-11-01T07%3A30%3A00.000Z");
    expect(canonical(`event=${EVENT_ID}&q=a&order=asc&range=7d`)).toBe(`?q=a&range=7d&order=asc&event=${EVENT_ID}`);
  });
});

describe("resultKey", () => {
  it("ignores the open event: opening one does not refetch the list", () => {
    expect(resultKey(view({ q: "a", event: EVENT_ID }))).toBe(resultKey(view({ q: "a" })));
  });

  it("changes with the query, the range, either end and the order", () => {
    const base = view({ range: "custom", from: "2026-11-01T00:00:00.000Z", to: "2026-11-02T00:00:00.000Z" });
    const variants: ViewState[] = [
      { ...base, q: "a" },
      { ...base, range: "7d" },
      { ...base, from: "2026-10-31T00:00:00.000Z" },
      { ...base, to: null },
      { ...base, order: "asc" },
    ];
    const keys = new Set([base, ...variants].map(resultKey));
    expect(keys.size).toBe(variants.length + 1);
  });

  it("tells which end of a custom range a bound is", () => {
    expect(resultKey(view({ range: "custom", from: "x", to: null }))).not.toBe(resultKey(view({ range: "custom", from: null, to: "x" })));
  });
});

describe("resolveWindow", () => {
  const now = Date.parse("2026-11-20T10:00:00.000Z");

  it("counts a preset back from the given moment, open at the end", () => {
    expect(resolveWindow(view({ range: "1h" }), now)).toEqual({ from: "2026-11-20T09:00:00.000Z", to: null });
    expect(resolveWindow(view({ range: "24h" }), now)).toEqual({ from: "2026-11-19T10:00:00.000Z", to: null });
    expect(resolveWindow(view({ range: "7d" }), now)).toEqual({ from: "2026-11-13T10:00:00.000Z", to: null });
    expect(resolveWindow(DEFAULT_VIEW, now)).toEqual({ from: "2026-10-21T10:00:00.000Z", to: null });
    expect(resolveWindow(view({ range: "90d" }), now)).toEqual({ from: "2026-08-22T10:00:00.000Z", to: null });
  });

  it("has no bounds for all time, and a custom range's own bounds whatever the moment", () => {
    expect(resolveWindow(view({ range: "all" }), now)).toEqual({ from: null, to: null });
    const custom = view({ range: "custom", from: "2026-01-01T00:00:00.000Z", to: null });
    expect(resolveWindow(custom, now)).toEqual({ from: "2026-01-01T00:00:00.000Z", to: null });
    expect(resolveWindow(custom, now + 86_400_000)).toEqual(resolveWindow(custom, now));
  });

  it("ignores stale custom bounds on a preset", () => {
    expect(resolveWindow(view({ range: "1h", from: "2026-01-01T00:00:00.000Z", to: "2026-01-02T00:00:00.000Z" }), now)).toEqual({ from: "2026-11-20T09:00:00.000Z", to: null });
  });
});

describe("rangeLabel", () => {
  it("names presets and custom ranges", () => {
    expect(rangeLabel(DEFAULT_VIEW)).toBe("Last 30 days");
    expect(rangeLabel(view({ range: "1h" }))).toBe("Last hour");
    expect(rangeLabel(view({ range: "all" }))).toBe("All time");
    expect(rangeLabel(view({ range: "custom", from: "2026-11-01T00:00:00.000Z" }))).toBe("Custom range");
  });
});

describe("effectiveWindow", () => {
  const now = Date.parse("2026-11-20T10:00:00.000Z");
  const last30: ViewWindow = { from: "2026-10-21T10:00:00.000Z", to: null };
  const narrow = (q: string, window: ViewWindow = last30) => effectiveWindow(window, parseQuery(q).terms, now);

  it("is the picker's window when the query has no occurred: terms", () => {
    expect(narrow("action:user.* ada")).toEqual({ ...last30, narrowed: false, empty: false });
    expect(effectiveWindow(last30, null, now)).toEqual({ ...last30, narrowed: false, empty: false });
  });

  it("narrows to a relative term, counting back from the view's moment", () => {
    expect(narrow("occurred:>24h")).toEqual({ from: "2026-11-19T10:00:00.000Z", to: null, narrowed: true, empty: false });
    expect(narrow("occurred:<7d")).toEqual({ from: last30.from, to: "2026-11-13T10:00:00.000Z", narrowed: true, empty: false });
    // A term wider than the picker leaves the picker's window.
    expect(narrow("occurred:>90d")).toEqual({ ...last30, narrowed: false, empty: false });
  });

  it("intersects dates (whole UTC days, the last one included) with the picker and with each other", () => {
    expect(narrow("occurred:2026-11-01..2026-11-07")).toEqual({ from: "2026-11-01T00:00:00.000Z", to: "2026-11-08T00:00:00.000Z", narrowed: true, empty: false });
    expect(narrow("occurred:>=2026-11-05 occurred:<2026-11-10")).toEqual({ from: "2026-11-05T00:00:00.000Z", to: "2026-11-10T00:00:00.000Z", narrowed: true, empty: false });
    expect(narrow("occurred:2026-10-01..2026-11-07")).toEqual({ from: last30.from, to: "2026-11-08T00:00:00.000Z", narrowed: true, empty: false });
    expect(narrow("occurred:<=2026-11-07T12:00:00Z")).toEqual({ from: last30.from, to: "2026-11-07T12:00:00.001Z", narrowed: true, empty: false });
  });

  it("reads negated one-sided terms as their other side, and lets a negated two-sided range (a gap) be", () => {
    expect(narrow("-occurred:>24h")).toEqual({ from: last30.from, to: "2026-11-19T10:00:00.000Z", narrowed: true, empty: false });
    expect(narrow("-occurred:<2026-11-10")).toEqual({ from: "2026-11-10T00:00:00.000Z", to: null, narrowed: true, empty: false });
    expect(narrow("-occurred:2026-11-01..2026-11-07")).toEqual({ ...last30, narrowed: false, empty: false });
  });

  it("is empty when the terms and the picker share no time", () => {
    expect(narrow("occurred:<2000-01-01")).toMatchObject({ narrowed: true, empty: true });
    expect(narrow("occurred:>=2026-11-10", { from: "2026-11-01T00:00:00.000Z", to: "2026-11-05T00:00:00.000Z" })).toMatchObject({ narrowed: true, empty: true });
  });
});
