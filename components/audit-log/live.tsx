"use client";

import { useEffect, useRef, useState } from "react";
import type { AuditEvent } from "@/lib/events/types";
import type { Filter } from "./api";

const FRESH_MS = 3_000;
/** The most live rows kept above the table; older ones are in the table's own pages. */
const MAX_LIVE_ROWS = 1_000;

type Options = {
  org: string;
  filter: Filter;
  key: string;
  enabled: boolean;
  newestLoaded: AuditEvent | undefined;
  /** When the table's rows were read (ms): where a stream starts when they are none. */
  loadedAt: number;
  onReset: () => void;
};

/** Clocks differ between browser and server: a stream for an empty table starts this much before its rows were read (duplicates cannot occur: nothing is shown). */
const CLOCK_MARGIN_MS = 60_000;

/**
 * Live mode: one Server-Sent Events stream (GET …/events/live) pushes the
 * matching events received after the newest one shown (or, when none is
 * shown, since the rows were read), to be put above the table's rows; no polling. EventSource reconnects on its own and resumes
 * after the last seq it saw. A `reset` (more arrived than live mode carries)
 * reloads the view. A change of filter starts over.
 */
export function useLiveEvents({ org, filter, key, enabled, newestLoaded, loadedAt, onReset }: Options) {
  const [on, setOn] = useState(false);
  const [state, setState] = useState<{ key: string; events: AuditEvent[]; fresh: ReadonlySet<string> }>({ key, events: [], fresh: new Set() });
  const current = state.key === key ? state : { key, events: [] as AuditEvent[], fresh: new Set<string>() };
  const latest = useRef({ newestLoaded, loadedAt, onReset });
  useEffect(() => {
    latest.current = { newestLoaded, loadedAt, onReset };
  });

  useEffect(() => {
    if (!on || !enabled) return;
    const params = new URLSearchParams();
    if (filter.q) params.set("q", filter.q);
    if (filter.window.from) params.set("from", filter.window.from);
    const { newestLoaded: newest, loadedAt: readAt } = latest.current;
    if (newest) params.set("after_seq", String(newest.seq));
    else if (readAt > 0) params.set("since", new Date(readAt - CLOCK_MARGIN_MS).toISOString());
    const source = new EventSource(`/api/v1/orgs/${encodeURIComponent(org)}/events/live?${params}`);
    let clearFresh: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("events", (message) => {
      const arrived = (JSON.parse((message as MessageEvent<string>).data) as AuditEvent[]).reverse();
      setState((s) => {
        const known = s.key === key ? s.events : [];
        const ids = new Set(known.map((e) => e.id));
        const added = arrived.filter((e) => !ids.has(e.id));
        return { key, events: [...added, ...known].slice(0, MAX_LIVE_ROWS), fresh: new Set(added.map((e) => e.id)) };
      });
      clearTimeout(clearFresh);
      clearFresh = setTimeout(() => setState((s) => (s.key === key ? { ...s, fresh: new Set() } : s)), FRESH_MS);
    });
    source.addEventListener("reset", () => {
      setState({ key, events: [], fresh: new Set() });
      latest.current.onReset();
    });
    return () => {
      source.close();
      clearTimeout(clearFresh);
    };
  }, [on, enabled, org, key, filter]);

  return { on: on && enabled, setOn, events: current.events, freshIds: current.fresh };
}

export function LiveToggle({ on, disabled, onChange }: { on: boolean; disabled: boolean; onChange: (on: boolean) => void }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      disabled={disabled}
      title={disabled ? "Live mode follows the newest events: choose a range that ends now, newest first" : on ? "Stop following new events" : "Show new events as they arrive"}
      onClick={() => onChange(!on)}
      data-testid="live-toggle"
      className={`inline-flex h-8 items-center gap-1.5 rounded-md border px-2.5 text-[13px] font-medium shadow-xs disabled:cursor-not-allowed disabled:opacity-50 ${
        on ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-300" : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
      }`}
    >
      <span className="relative flex size-2">
        {on ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" /> : null}
        <span className={`relative inline-flex size-2 rounded-full ${on ? "bg-emerald-500" : "bg-zinc-400"}`} />
      </span>
      Live
    </button>
  );
}
