"use client";

import { useEffect, useRef, useState } from "react";
import type { AuditEvent } from "@/lib/events/types";
import { fetchEvents, type Filter } from "./api";

const POLL_MS = 4_000;
const FRESH_MS = 3_000;

type Options = { org: string; filter: Filter; key: string; enabled: boolean; newestLoaded: AuditEvent | undefined };

/**
 * Live mode: every few seconds, asks for matching events at or after the
 * newest one shown (oldest first) and returns those not yet shown, newest
 * first, to be put above the table's rows. A change of filter starts over.
 */
export function useLiveEvents({ org, filter, key, enabled, newestLoaded }: Options) {
  const [on, setOn] = useState(false);
  const [state, setState] = useState<{ key: string; events: AuditEvent[]; fresh: ReadonlySet<string> }>({ key, events: [], fresh: new Set() });
  const current = state.key === key ? state : { key, events: [] as AuditEvent[], fresh: new Set<string>() };
  const newest = current.events[0] ?? newestLoaded;
  const latest = useRef({ newest, known: current.events });
  useEffect(() => {
    latest.current = { newest, known: current.events };
  });

  useEffect(() => {
    if (!on || !enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      const { newest: since, known } = latest.current;
      try {
        const page = await fetchEvents(org, { q: filter.q, window: { from: since?.occurred_at ?? filter.window.from, to: null } }, { order: "asc", limit: 500 }, controller.signal);
        const shown = new Set([...known.map((e) => e.id), since?.id]);
        const added = page.data.filter((e) => !shown.has(e.id)).reverse();
        if (added.length) {
          setState((s) => ({ key, events: [...added, ...(s.key === key ? s.events : [])], fresh: new Set(added.map((e) => e.id)) }));
          setTimeout(() => setState((s) => (s.key === key ? { ...s, fresh: new Set() } : s)), FRESH_MS);
        }
      } catch {
        // A failed poll is retried on the next tick; the table keeps what it has.
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, POLL_MS);
    }
    timer = setTimeout(poll, 0);
    return () => {
      controller.abort();
      clearTimeout(timer);
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
