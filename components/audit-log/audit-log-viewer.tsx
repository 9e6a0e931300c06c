"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Globe, RotateCw, SearchX } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import type { TermInput } from "@/lib/events/query-language";
import type { AuditEvent } from "@/lib/events/types";
import type { ErrorIssue } from "@/lib/errors";
import type { ActionFacet } from "@/lib/events/facets";
import type { SearchPage } from "@/lib/events/search";
import type { SavedSearch } from "@/lib/saved-searches/saved-searches";
import { ApiFailure, EVENT_PAGE_SIZE, fetchEvents, fetchFacets, fetchHistogram, fetchTopValues, queryIssueRanges, type Filter } from "./api";
import { ColumnMenu } from "./column-menu";
import { EventPanel } from "./event-panel";
import { ExportMenu } from "./export-menu";
import { EventTable, ROW_HEIGHT, type EventTableHandle, type SchemaDisplays } from "./event-table";
import { FilterControls, TermChips, controlButton } from "./filter-controls";
import { FilterProvider } from "./filter-value";
import { countOf, formatApproximate, formatCount, formatTime } from "./format";
import { Histogram } from "./histogram";
import { LiveToggle, useLiveEvents } from "./live";
import { applyTerm, queryTerms } from "./query-edit";
import { RangePicker } from "./range-picker";
import { SavedSearchMenu } from "./saved-search-menu";
import { SearchBox } from "./search-box";
import { useTimeZoneMode } from "./time-preference";
import { TopValuesPanel, TopValuesToggle } from "./top-values";
import { useLocalStorage } from "./use-local-storage";
import { DEFAULT_RANGE, effectiveWindow, parseViewState, rangeLabel, resolveView, resultKey, viewSearch, type EffectiveWindow, type ViewState, type ViewWindow } from "./view-state";
import type { TimeZoneMode } from "./format";

export type ViewerProps = {
  org: string;
  /** What the server rendered for the URL it was asked for. */
  initial: { key: string; window: ViewWindow; page: SearchPage | null; issues: ErrorIssue[] };
  displays: SchemaDisplays;
  metadataKeys: string[];
  /** Names the person, so column layouts are remembered per person. */
  storageKey: string;
  /** can(scope, "events.export"): shows the export menu for the current filter in the toolbar. */
  canExport: boolean;
  /** A person's saved searches, read with the page (null for no one's: the menu is not shown). */
  saved: { orgName: string; initial: SavedSearch[]; canDeleteShared: boolean } | null;
};

const EMPTY_EVENTS: AuditEvent[] = [];

/**
 * The audit log viewer. All of its state is in the URL (pushState, so Back
 * and reload work and a link shares the view); data comes from the public
 * search API through TanStack Query.
 */
export function AuditLogViewer({ org, initial, displays, metadataKeys, storageKey, canExport, saved }: ViewerProps) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = parseViewState(searchParams);
  const key = resultKey(view);

  // A preset counts back from the moment the view was chosen; pages of one view share that moment.
  const [resolved, setResolved] = useState(() => ({ key: initial.key, window: initial.window, at: resolveView(view).at }));
  let current = resolved;
  if (resolved.key !== key) {
    current = { key, ...resolveView(view) };
    setResolved(current);
  }
  const timeWindow = current.window;
  const terms = useMemo(() => queryTerms(view.q), [view.q]);
  // The picker's range narrowed by the query's occurred: terms: what the count, the chart and the picker show.
  const effective = useMemo(() => effectiveWindow(timeWindow, terms, current.at), [timeWindow, terms, current.at]);
  const requestWindow = useMemo(() => (effective.narrowed && !effective.empty ? { from: effective.from, to: effective.to } : timeWindow), [effective, timeWindow]);
  const filter: Filter = useMemo(() => ({ q: view.q, window: requestWindow }), [view.q, requestWindow]);

  const navigate = useCallback(
    (next: Partial<ViewState>, options: { replace?: boolean } = {}) => {
      const url = `${pathname}${viewSearch({ ...parseViewState(new URLSearchParams(window.location.search)), ...next })}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [pathname],
  );
  const openedHere = useRef(false);
  const setQuery = (q: string) => {
    openedHere.current = false;
    navigate({ q, event: null });
  };
  const filterBy = (term: TermInput) => setQuery(applyTerm(view.q, term));
  const applySaved = (search: SavedSearch) => {
    openedHere.current = false;
    navigate({ q: search.query, range: search.range, from: search.from, to: search.to, event: null });
    if (search.columns) table.current?.showColumns(search.columns);
  };
  const toggleOrder = () => navigate({ order: view.order === "desc" ? "asc" : "desc", event: null });
  const refresh = () => setResolved({ key, ...resolveView(view) });

  // The server's first page (and its cursor) belongs to the picker's window: not to one narrowed by occurred: terms.
  const usesInitial = key === initial.key && requestWindow === initial.window && initial.page !== null;
  const events = useInfiniteQuery({
    queryKey: ["events", org, key, requestWindow],
    queryFn: ({ pageParam, signal }) => fetchEvents(org, filter, { order: view.order, cursor: pageParam, limit: EVENT_PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    initialData: usesInitial ? { pages: [initial.page!], pageParams: [null] } : undefined,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiFailure && (error.status < 500 || error.timedOut)) && count < 2,
  });
  const badQuery = events.error instanceof ApiFailure && events.error.status === 400;
  const facets = useQuery({ queryKey: ["facets", org, key, requestWindow], queryFn: ({ signal }) => fetchFacets(org, filter, signal), placeholderData: keepPreviousData, enabled: !badQuery, retry: false });
  const histogram = useQuery({ queryKey: ["histogram", org, key, requestWindow], queryFn: ({ signal }) => fetchHistogram(org, filter, signal), placeholderData: keepPreviousData, enabled: !badQuery, retry: false });
  // The top lists cost a scan of their own: asked for only while shown (remembered per browser).
  const [topShown, setTopShown] = useLocalStorage("orgtrail.top-values", "hidden");
  const showTop = topShown === "shown";
  const top = useQuery({ queryKey: ["top", org, key, requestWindow], queryFn: ({ signal }) => fetchTopValues(org, filter, signal), placeholderData: keepPreviousData, enabled: showTop && !badQuery, retry: false });

  const pages = events.data?.pages;
  const loaded = useMemo(() => pages?.flatMap((p) => p.data) ?? EMPTY_EVENTS, [pages]);
  const liveAllowed = view.order === "desc" && !requestWindow.to;
  const live = useLiveEvents({ org, filter, key, enabled: liveAllowed && !badQuery, newestLoaded: loaded[0], loadedAt: events.dataUpdatedAt, onReset: refresh });
  const rows = useMemo(() => {
    if (!live.events.length) return loaded;
    const seen = new Set(live.events.map((e) => e.id));
    return [...live.events, ...loaded.filter((e) => !seen.has(e.id))];
  }, [live.events, loaded]);

  const [active, setActive] = useState({ key, index: 0 });
  const activeIndex = active.key === key ? active.index : 0;
  const setActiveIndex = (index: number) => setActive({ key, index });

  const table = useRef<EventTableHandle>(null);
  const panelIndex = view.event ? rows.findIndex((e) => e.id === view.event) : -1;
  // The row of the event in the panel, as soon as a click or a step chooses it (the URL catches up a render later).
  const panelRow = useRef<number | null>(null);
  const openEvent = (event: AuditEvent) => {
    openedHere.current = true;
    panelRow.current = rows.findIndex((e) => e.id === event.id);
    navigate({ event: event.id });
  };
  const closeEvent = () => {
    // Focus goes back to this event's row (the panel may have stepped away from the row it was opened on).
    const index = panelRow.current ?? panelIndex;
    panelRow.current = null;
    if (index >= 0) setActiveIndex(index);
    if (openedHere.current) {
      openedHere.current = false;
      window.history.back();
    } else navigate({ event: null }, { replace: true });
  };
  const step = (by: -1 | 1) => {
    const index = (panelRow.current ?? panelIndex) + by;
    const next = rows[index];
    if (!next) return;
    panelRow.current = index;
    setActiveIndex(index);
    navigate({ event: next.id }, { replace: true });
  };

  const issues = events.error instanceof ApiFailure ? events.error.issues : usesInitial || key === initial.key ? initial.issues : [];
  const problems = queryIssueRanges(issues, view.q);
  const actors = useMemo(() => recentActors(loaded), [loaded]);
  const targetTypes = useMemo(() => [...new Set(loaded.flatMap((e) => e.targets.map((t) => t.type)))].sort(), [loaded]);
  // Suggestions keep the last actions the server listed: a query being fixed (a 400 has no facets) needs them most.
  const [knownActions, setKnownActions] = useState<ActionFacet[]>([]);
  if (facets.data && facets.data.actions !== knownActions) setKnownActions(facets.data.actions);
  const suggestionSource = { actions: facets.data?.actions ?? knownActions, actors, targetTypes };

  const [mode, setMode] = useTimeZoneMode();
  // The histogram's sum when it has loaded (an estimate when it was sampled), else the facets' total.
  const total = histogram.data && !histogram.isPlaceholderData ? { count: histogram.data.total, exact: histogram.data.exact !== false } : facets.data && !facets.isPlaceholderData ? facets.data.total : null;
  const hasFilters = !!view.q || view.range !== DEFAULT_RANGE;

  return (
    <FilterProvider onFilter={filterBy}>
      <div className="flex min-h-[560px] flex-1 flex-col">
        <div className="space-y-3 px-4 pb-3 sm:px-6">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <SearchBox key={view.q} initialQuery={view.q} problems={problems} source={suggestionSource} onSubmit={setQuery} />
            <div className="flex flex-wrap items-center gap-2">
              {saved ? (
                <SavedSearchMenu
                  org={org}
                  orgName={saved.orgName}
                  initial={saved.initial}
                  canDeleteShared={saved.canDeleteShared}
                  view={view}
                  visibleColumns={() => table.current?.visibleColumns() ?? []}
                  onApply={applySaved}
                />
              ) : null}
              <RangePicker view={view} effective={effective} onPreset={(range) => navigate({ range, from: null, to: null, event: null })} onCustom={(from, to) => navigate({ range: "custom", from, to, event: null })} />
              {canExport ? <ExportMenu org={org} /> : null}
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <FilterControls q={view.q} terms={terms} actions={facets.data?.actions ?? []} estimated={facets.data?.sampled ?? false} displays={displays} onChange={setQuery} />
            <TopValuesToggle open={showTop} onToggle={() => setTopShown(showTop ? "hidden" : "shown")} />
            {terms?.length ? <div className="hidden h-5 w-px bg-zinc-200 sm:block dark:bg-zinc-800" aria-hidden /> : null}
            <TermChips q={view.q} terms={terms} onChange={setQuery} />
          </div>
          {showTop && !badQuery ? <TopValuesPanel q={view.q} terms={terms} data={top.data} stale={top.isPlaceholderData} error={top.error} onChange={setQuery} /> : null}
          {badQuery ? null : (
            <div className="rounded-lg border border-zinc-200 px-3 pt-2 pb-1 dark:border-zinc-800">
              <div className="flex items-baseline justify-between gap-3">
                <p className="text-sm" data-testid="event-total">
                  {total ? (
                    <>
                      <span className="font-semibold tabular-nums">{total.exact ? formatCount(total.count) : `about ${formatApproximate(total.count)}`}</span>
                      <span className="text-zinc-600 dark:text-zinc-400">
                        {" "}
                        {total.count === 1 ? "event" : "events"} · {windowLabel(view, effective, mode)}
                      </span>
                    </>
                  ) : (
                    <span className="text-zinc-500 dark:text-zinc-400">Counting…</span>
                  )}
                </p>
                {view.range === "custom" ? (
                  <button type="button" className="text-xs font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => navigate({ range: DEFAULT_RANGE, from: null, to: null })}>
                    Reset zoom
                  </button>
                ) : null}
              </div>
              <Histogram data={histogram.data} loading={histogram.isFetching} onZoom={(from, to) => navigate({ range: "custom", from, to, event: null })} />
            </div>
          )}
        </div>

        <div className="relative mx-4 mb-4 flex h-[85dvh] min-h-[420px] flex-col overflow-hidden rounded-lg border lg:h-auto lg:flex-1 border-zinc-200 sm:mx-6 dark:border-zinc-800">
          <EventTable
            events={rows}
            displays={displays}
            metadataKeys={metadataKeys}
            storageKey={storageKey}
            order={view.order}
            onToggleOrder={toggleOrder}
            activeIndex={activeIndex}
            onActiveIndexChange={setActiveIndex}
            ref={table}
            onOpen={openEvent}
            freshIds={live.freshIds}
            canLoadMore={!!events.hasNextPage}
            loadingMore={events.isFetchingNextPage}
            onLoadMore={() => void events.fetchNextPage()}
            toolbar={(columns) => (
              <div className="flex h-11 shrink-0 items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-800">
                <p className="mr-auto truncate text-xs text-zinc-500 dark:text-zinc-400">
                  {rows.length ? (
                    <>
                      <span className="hidden sm:inline">{formatCount(rows.length)} loaded · </span>
                      <button type="button" onClick={toggleOrder} className="underline decoration-dotted underline-offset-2 hover:text-zinc-900 dark:hover:text-zinc-100" aria-label={`Sorted ${view.order === "desc" ? "newest" : "oldest"} first. Change order`}>
                        {view.order === "desc" ? "newest" : "oldest"} first
                      </button>
                      <span className="hidden lg:inline"> · j/k to move, Enter to open, / to search</span>
                    </>
                  ) : null}
                </p>
                <button type="button" onClick={() => setMode(mode === "utc" ? "local" : "utc")} className={controlButton} aria-pressed={mode === "utc"} title="Show times in UTC or in your time zone" data-testid="utc-toggle">
                  <Globe className="size-3.5" aria-hidden />
                  {mode === "utc" ? "UTC" : "Local"}
                </button>
                <span className="hidden sm:contents">
                  <ColumnMenu control={columns} />
                </span>
                <LiveToggle on={live.on} disabled={!liveAllowed} onChange={live.setOn} />
                <button type="button" onClick={refresh} className={controlButton} aria-label="Refresh">
                  <RotateCw className={`size-3.5 ${events.isFetching && !events.isFetchingNextPage ? "animate-spin" : ""}`} aria-hidden />
                </button>
              </div>
            )}
            footer={
              rows.length ? (
                <div className="flex items-center justify-center border-t border-zinc-100 py-3 text-xs text-zinc-600 dark:text-zinc-400 dark:border-zinc-800">
                  {events.hasNextPage ? (
                    <button type="button" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage} className={controlButton}>
                      {events.isFetchingNextPage ? "Loading…" : "Load more"}
                    </button>
                  ) : (
                    <span>End of results · {countOf(rows.length, "event")}</span>
                  )}
                </div>
              ) : null
            }
          />
          {events.isPending ? <LoadingRows /> : null}
          {events.isError && !badQuery ? (
            <State title={events.error instanceof ApiFailure && events.error.timedOut ? "This search took too long" : "The events could not be loaded"} body={events.error.message}>
              <button type="button" className={controlButton} onClick={() => void events.refetch()}>
                Try again
              </button>
            </State>
          ) : null}
          {badQuery ? <State title="Fix the query to see events" body="The highlighted term above is not valid." /> : null}
          {events.isSuccess && rows.length === 0 ? (
            <State
              title="No events match"
              body={effective.empty ? "The query's occurred: terms and the time range have no time in common." : hasFilters ? `Nothing in ${windowLabel(view, effective, mode)} matches this search.` : "Nothing has been recorded in this range yet."}
              testId="empty-state"
            >
              {hasFilters ? (
                <button type="button" className={controlButton} onClick={() => navigate({ q: "", range: DEFAULT_RANGE, from: null, to: null, event: null })}>
                  Clear filters
                </button>
              ) : null}
            </State>
          ) : null}
        </div>

        <EventPanel
          org={org}
          eventId={view.event}
          loaded={panelIndex >= 0 ? rows[panelIndex] : undefined}
          displays={displays}
          onClose={closeEvent}
          onClosed={() => {
          panelRow.current = null;
          table.current?.focusActive();
        }}
          onStep={panelIndex >= 0 ? step : null}
        />
      </div>
    </FilterProvider>
  );
}

/** The count line's window: the picker's range, or the narrower one the query's occurred: terms leave. */
function windowLabel(view: ViewState, effective: EffectiveWindow, mode: TimeZoneMode): string {
  if (!effective.narrowed) return rangeLabel(view).toLowerCase();
  if (effective.empty) return "no time in common between the range and the query";
  const at = (iso: string | null, open: string) => (iso ? formatTime(iso, mode).slice(0, 16) : open);
  return `${at(effective.from, "the beginning")} → ${at(effective.to, "now")} (${rangeLabel(view).toLowerCase()}, narrowed by occurred:)`;
}

function recentActors(events: AuditEvent[]): string[] {
  const seen = new Set<string>();
  for (const e of events) {
    const email = e.actor.metadata?.email;
    seen.add(typeof email === "string" ? email : e.actor.id);
    if (seen.size >= 50) break;
  }
  return [...seen];
}

function State({ title, body, children, testId }: { title: string; body: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="absolute inset-x-0 top-24 flex flex-col items-center px-6 text-center" data-testid={testId}>
      <SearchX className="mb-3 size-8 text-zinc-300 dark:text-zinc-700" aria-hidden />
      <p className="font-medium">{title}</p>
      <p className="mt-1 max-w-md text-sm text-zinc-500 dark:text-zinc-400">{body}</p>
      {children ? <div className="mt-4">{children}</div> : null}
    </div>
  );
}

function LoadingRows() {
  return (
    <div className="absolute inset-x-0 top-20" aria-label="Loading events">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 border-b border-zinc-100 px-3 dark:border-zinc-800/70" style={{ height: ROW_HEIGHT }}>
          {[120, 180, 140, 200].map((w, j) => (
            <div key={j} className="h-3 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" style={{ width: w }} />
          ))}
        </div>
      ))}
    </div>
  );
}
