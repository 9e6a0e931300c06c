"use client";

import { BarChart3, ChevronDown, FilterX } from "lucide-react";
import { useState } from "react";
import type { QueryTerm, TermInput } from "@/lib/events/query-language";
import type { TopValues } from "@/lib/events/facets";
import { ApiFailure } from "./api";
import { controlButton } from "./filter-controls";
import { formatCount } from "./format";
import { actorFilterTerm, targetFilterTerm, termKeyLabel, termState, toggleFilterTerm } from "./query-edit";

export const TOP_VALUES_ID = "top-values";
/** A phone shows this many rows of each list until asked for all: three lists of ten would push the events a screen down. */
const PHONE_ROWS = 5;

/** The button in the filter row that shows or hides the top lists (they are only asked for while shown). */
export function TopValuesToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  return (
    <button type="button" className={controlButton} aria-expanded={open} aria-controls={open ? TOP_VALUES_ID : undefined} onClick={onToggle} data-testid="top-values-toggle">
      <BarChart3 className="size-3.5" aria-hidden />
      Top values
      <ChevronDown className={`size-3.5 text-zinc-500 transition-transform dark:text-zinc-400 ${open ? "rotate-180" : ""}`} aria-hidden />
    </button>
  );
}

type Item = { term: Omit<TermInput, "negated">; label: string; detail: string | null; count: number };

type Props = {
  q: string;
  terms: QueryTerm[] | null;
  data: TopValues | undefined;
  /** A newer filter's lists are on their way (the shown ones are the previous filter's). */
  stale: boolean;
  error: Error | null;
  onChange: (q: string) => void;
};

/**
 * The most frequent actors, IP addresses and targets of the view. A row's
 * value filters to it, its second button excludes it; pressed again, either
 * takes its term back out of the query.
 */
export function TopValuesPanel({ q, terms, data, stale, error, onChange }: Props) {
  const entity = (toTerm: typeof actorFilterTerm) => (e: { type: string; id: string; name: string | null; count: number }) => ({
    term: toTerm(e),
    label: e.name ?? `${e.type}:${e.id}`,
    detail: e.name ? `${e.type}:${e.id}` : null,
    count: e.count,
  });
  const lists: { title: string; noun: string; testId: string; items: Item[] | undefined }[] = [
    { title: "Top actors", noun: "actors", testId: "top-actors", items: data?.actors.map(entity(actorFilterTerm)) },
    { title: "Top IP addresses", noun: "IP addresses", testId: "top-ips", items: data?.ips.map((i) => ({ term: { key: "ip" as const, value: i.ip }, label: i.ip, detail: null, count: i.count })) },
    { title: "Top targets", noun: "targets", testId: "top-targets", items: data?.targets.map(entity(targetFilterTerm)) },
  ];
  return (
    <section id={TOP_VALUES_ID} aria-labelledby={`${TOP_VALUES_ID}-title`} aria-busy={stale || !data} className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800" data-testid="top-values">
      <div className="mb-1 flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 id={`${TOP_VALUES_ID}-title`} className="text-sm font-semibold">
          Top values
        </h2>
        <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="top-values-note">
          {error
            ? null
            : data?.sampled
              ? "About: counted in the newest matching events only (a sample), not all of them."
              : "Select a value to filter to it; the crossed funnel excludes it."}
        </p>
      </div>
      {error ? (
        <p className="py-2 text-sm text-zinc-700 dark:text-zinc-300" role="status">
          {error instanceof ApiFailure && error.timedOut ? "Counting the top values took too long: narrow the time range or add filters." : `The top values could not be loaded: ${error.message}`}
        </p>
      ) : (
        <div className={`grid gap-x-6 gap-y-3 sm:grid-cols-3 ${stale ? "opacity-60" : ""}`}>
          {lists.map((list) => (
            <TopList key={list.testId} {...list} terms={terms} onToggle={(term) => onChange(toggleFilterTerm(q, term))} />
          ))}
        </div>
      )}
    </section>
  );
}

function TopList({ title, noun, testId, items, terms, onToggle }: { title: string; noun: string; testId: string; items: Item[] | undefined; terms: QueryTerm[] | null; onToggle: (term: TermInput) => void }) {
  const max = Math.max(1, ...(items ?? []).map((i) => i.count));
  const [all, setAll] = useState(false);
  return (
    <div className="min-w-0" data-testid={testId}>
      <h3 id={`${testId}-title`} className="px-1 pt-1 pb-1 text-[11px] font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
        {title}
      </h3>
      {!items ? (
        <p className="px-1 py-1 text-xs text-zinc-600 dark:text-zinc-400">Counting…</p>
      ) : items.length === 0 ? (
        <p className="px-1 py-1 text-xs text-zinc-600 dark:text-zinc-400">No {noun} in this view</p>
      ) : (
        <>
          <ul id={`${testId}-list`} aria-labelledby={`${testId}-title`} className="space-y-0.5">
            {items.map((item, index) => (
              <TopRow key={`${item.term.key}:${item.term.value}`} item={item} max={max} state={termState(terms, item.term)} phoneHidden={!all && index >= PHONE_ROWS} onToggle={onToggle} />
            ))}
          </ul>
          {items.length > PHONE_ROWS ? (
            <button type="button" aria-expanded={all} aria-controls={`${testId}-list`} onClick={() => setAll(!all)} className="mt-0.5 rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-zinc-100 sm:hidden dark:text-indigo-300 dark:hover:bg-zinc-800">
              {all ? "Show fewer" : `Show all ${items.length} ${noun}`}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function TopRow({ item, max, state, phoneHidden, onToggle }: { item: Item; max: number; state: "included" | "excluded" | null; phoneHidden: boolean; onToggle: (term: TermInput) => void }) {
  const what = `${termKeyLabel(item.term.key)} ${item.label}`;
  return (
    <li className={`${phoneHidden ? "hidden sm:flex" : "flex"} items-center gap-1`} data-testid="top-value" data-value={item.term.value} data-label={item.label} data-count={item.count} data-state={state ?? "none"}>
      <button
        type="button"
        aria-pressed={state === "included"}
        title={state === "included" ? `Remove the filter to ${what}` : `Filter to ${what}`}
        onClick={() => onToggle({ ...item.term, negated: false })}
        className={`relative flex h-8 min-w-0 flex-1 items-center gap-2 overflow-hidden rounded-md px-2 text-left text-[13px] hover:bg-zinc-100 dark:hover:bg-zinc-800 ${
          state === "included" ? "ring-1 ring-indigo-500 ring-inset" : ""
        }`}
      >
        {/* The count drawn, against the list's largest; the number beside it says the same in text. */}
        <span aria-hidden className="absolute inset-x-2 bottom-0.5 h-[3px] rounded-full bg-zinc-100 dark:bg-zinc-800">
          <span className="block h-full rounded-full bg-indigo-400 dark:bg-indigo-400/80" style={{ width: `${(item.count / max) * 100}%` }} />
        </span>
        <span className="sr-only">Filter to </span>
        <span className={`relative min-w-0 flex-1 truncate ${state === "excluded" ? "text-zinc-600 line-through dark:text-zinc-400" : "text-zinc-900 dark:text-zinc-100"}`}>
          <span className={item.term.key === "ip" ? "font-mono text-[12.5px]" : ""}>{item.label}</span>
          {item.detail ? <span className="ml-1.5 font-mono text-[11.5px] text-zinc-600 dark:text-zinc-400">{item.detail}</span> : null}
        </span>
        {state ? <span className="relative shrink-0 rounded border border-zinc-300 px-1 text-[11px] leading-4 font-medium text-zinc-700 dark:border-zinc-600 dark:text-zinc-300">{state}</span> : null}
        <span className="relative shrink-0 text-xs text-zinc-700 tabular-nums dark:text-zinc-300">
          {formatCount(item.count)}
          <span className="sr-only"> {item.count === 1 ? "event" : "events"}</span>
        </span>
      </button>
      <button
        type="button"
        aria-pressed={state === "excluded"}
        aria-label={`Exclude ${what}`}
        title={state === "excluded" ? `Stop excluding ${what}` : `Exclude ${what}`}
        onClick={() => onToggle({ ...item.term, negated: true })}
        className={`flex size-8 shrink-0 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 ${
          state === "excluded" ? "bg-rose-50 text-rose-700 ring-1 ring-rose-400 ring-inset dark:bg-rose-950/40 dark:text-rose-300" : ""
        }`}
        data-testid="top-value-exclude"
      >
        <FilterX className="size-4" aria-hidden />
      </button>
    </li>
  );
}
