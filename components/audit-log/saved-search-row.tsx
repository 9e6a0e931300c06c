"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Check, Columns3, Ellipsis, Trash2, Users } from "lucide-react";
import type { ReactNode } from "react";
import type { RangeId } from "@/lib/events/range-presets";
import type { SavedSearch } from "@/lib/saved-searches/saved-searches";
import { menuPanel } from "./filter-controls";
import { formatTime, type TimeZoneMode } from "./format";
import { RANGE_PRESETS } from "./view-state";

/** The look of the Saved searches menu's items and its quieter text. */
export const menuItem = "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none select-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";
export const muted = "text-xs text-zinc-600 dark:text-zinc-400";

/** A saved range as the viewer names it: a preset's label, or from → to in the person's time zone. */
export function rangeText(search: { range: RangeId; from: string | null; to: string | null }, mode: TimeZoneMode): string {
  const preset = RANGE_PRESETS.find((p) => p.id === search.range);
  if (preset) return preset.label;
  const at = (iso: string | null, open: string) => (iso ? formatTime(iso, mode).slice(0, 16) : open);
  return `${at(search.from, "…")} → ${at(search.to, "now")}${mode === "utc" ? " UTC" : ""}`;
}

export function DeleteItem({ onSelect }: { onSelect: () => void }) {
  return (
    <DropdownMenu.Item className={`${menuItem} text-red-700 data-[highlighted]:bg-red-50 dark:text-red-400 dark:data-[highlighted]:bg-red-950/50`} onSelect={onSelect}>
      <Trash2 className="size-3.5" aria-hidden /> Delete…
    </DropdownMenu.Item>
  );
}

/** One saved search: choosing it applies it; its own actions (if any) are in a submenu beside it. */
export function Row({ search, current, detail, onApply, actions }: { search: SavedSearch; current: boolean; detail: string; onApply: () => void; actions: ReactNode }) {
  return (
    <div className="flex items-stretch gap-0.5">
      <DropdownMenu.Item className={`${menuItem} min-w-0 flex-1 items-start`} onSelect={onApply} data-testid="saved-search" aria-current={current ? "true" : undefined}>
        <span className="flex min-w-0 flex-1 flex-col">
          <span className="flex items-center gap-1.5">
            <span className="truncate font-medium">{search.name}</span>
            {search.mine && search.shared ? (
              <span className="inline-flex shrink-0 items-center gap-0.5 rounded bg-indigo-50 px-1 text-[11px] font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
                <Users className="size-3" aria-hidden /> Shared
              </span>
            ) : null}
            {search.columns ? (
              <span className="shrink-0" title="Saved with its column layout">
                <Columns3 className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
                <span className="sr-only">(with its column layout)</span>
              </span>
            ) : null}
            {current ? (
              <span className="inline-flex shrink-0 items-center gap-0.5 rounded bg-emerald-50 px-1 text-[11px] font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
                <Check className="size-3" aria-hidden /> Applied
              </span>
            ) : null}
          </span>
          <span className="truncate font-mono text-xs text-zinc-700 dark:text-zinc-300">{search.query || "All events"}</span>
          <span className={`${muted} truncate`}>{detail}</span>
        </span>
      </DropdownMenu.Item>
      {actions ? (
        <DropdownMenu.Sub>
          <DropdownMenu.SubTrigger className={`${menuItem} shrink-0 justify-center px-2`} aria-label={`Actions for ${search.name}`}>
            <Ellipsis className="size-4 text-zinc-600 dark:text-zinc-400" aria-hidden />
          </DropdownMenu.SubTrigger>
          <DropdownMenu.Portal>
            <DropdownMenu.SubContent sideOffset={4} collisionPadding={8} className={`${menuPanel} min-w-56`}>
              {actions}
            </DropdownMenu.SubContent>
          </DropdownMenu.Portal>
        </DropdownMenu.Sub>
      ) : null}
    </div>
  );
}
