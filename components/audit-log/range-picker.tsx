"use client";

import * as Popover from "@radix-ui/react-popover";
import { Calendar, Check, ChevronDown } from "lucide-react";
import { useState } from "react";
import { controlButton, menuPanel } from "./filter-controls";
import { formatTime } from "./format";
import { useTimeZoneMode } from "./time-preference";
import { RANGE_PRESETS, type EffectiveWindow, type RangePresetId, type ViewState } from "./view-state";

type Props = {
  view: ViewState;
  /** The range narrowed by the query's occurred: terms: the picker shows what is searched, not only what it was set to. */
  effective: EffectiveWindow;
  onPreset: (id: RangePresetId) => void;
  onCustom: (from: string | null, to: string | null) => void;
};

/** `datetime-local` works in the browser's zone; UTC mode reads and writes UTC instead. */
function toInput(iso: string | null, utc: boolean): string {
  if (!iso) return "";
  return formatTime(iso, utc ? "utc" : "local").replace(" ", "T").slice(0, 16);
}

function fromInput(value: string, utc: boolean): string | null {
  if (!value) return null;
  const date = new Date(utc ? `${value}:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Time range: presets counted back from now, or a custom from/to. */
export function RangePicker({ view, effective, onPreset, onCustom }: Props) {
  const [open, setOpen] = useState(false);
  const [mode] = useTimeZoneMode();
  const utc = mode === "utc";
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  const span = (from: string | null, to: string | null) => `${from ? formatTime(from, mode).slice(0, 16) : "…"} → ${to ? formatTime(to, mode).slice(0, 16) : "now"}`;
  const set = preset ? preset.label : span(view.from, view.to);
  const narrowed = effective.narrowed ? (effective.empty ? "No time in common with the query" : span(effective.from, effective.to)) : null;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className={`${controlButton} h-9 max-w-full`} data-testid="range-picker" title={narrowed ? `${set}, narrowed by the query's occurred: terms` : undefined}>
        <Calendar className="size-4 text-zinc-600 dark:text-zinc-400" aria-hidden />
        <span className="truncate">{narrowed ?? set}</span>
        {narrowed ? <span className="rounded bg-indigo-50 px-1 text-[11px] font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">query</span> : null}
        <ChevronDown className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={4} className={`${menuPanel} w-72`}>
          {narrowed ? (
            <p className="mb-1 rounded-md bg-indigo-50 px-2 py-1.5 text-xs text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100" data-testid="range-narrowed">
              The query&apos;s <code className="font-mono">occurred:</code> terms {effective.empty ? `lie outside ${set.toLowerCase()}` : `narrow ${set.toLowerCase()} to ${narrowed}`}.
            </p>
          ) : null}
          <ul role="listbox" aria-label="Time range">
            {RANGE_PRESETS.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={view.range === p.id}
                  onClick={() => {
                    onPreset(p.id);
                    setOpen(false);
                  }}
                  className="flex w-full items-center justify-between rounded-md px-2 py-1.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                >
                  <span>{p.label}</span>
                  <span className="flex items-center gap-2">
                    <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{p.short}</span>
                    <Check className={`size-3.5 text-indigo-600 ${view.range === p.id ? "" : "invisible"}`} aria-hidden />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <form
            className="mt-1 space-y-2 border-t border-zinc-100 px-2 pt-2 pb-1 dark:border-zinc-800"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const from = fromInput(String(data.get("from") ?? ""), utc);
              const to = fromInput(String(data.get("to") ?? ""), utc);
              if (!from && !to) return;
              onCustom(from, to);
              setOpen(false);
            }}
          >
            <p className="text-[11px] font-medium tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">Custom range {utc ? "(UTC)" : ""}</p>
            <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="w-8">From</span>
              <input type="datetime-local" name="from" aria-label="From" defaultValue={toInput(view.from, utc)} className="h-8 flex-1 rounded-md border border-zinc-300 bg-transparent px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:text-zinc-100 dark:[color-scheme:dark]" />
            </label>
            <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="w-8">To</span>
              <input type="datetime-local" name="to" aria-label="To" defaultValue={toInput(view.to, utc)} className="h-8 flex-1 rounded-md border border-zinc-300 bg-transparent px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:text-zinc-100 dark:[color-scheme:dark]" />
            </label>
            <button type="submit" className="h-8 w-full rounded-md bg-indigo-600 text-sm font-medium text-white hover:bg-indigo-500">
              Apply range
            </button>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
