"use client";

import * as Popover from "@radix-ui/react-popover";
import { ArrowLeft, ArrowRight, Columns3 } from "lucide-react";
import type { ColumnsControl } from "./event-table";
import { CheckRow, controlButton, menuPanel, moveAmongCheckboxes } from "./filter-controls";

/** Show, hide and reorder the table's columns; the choice is remembered for this person. */
export function ColumnMenu({ control }: { control: ColumnsControl }) {
  return (
    <Popover.Root>
      <Popover.Trigger className={controlButton} aria-label="Columns">
        <Columns3 className="size-3.5" aria-hidden />
        <span className="hidden sm:inline">Columns</span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={4} className={`${menuPanel} max-h-[min(70vh,var(--radix-popover-content-available-height))] w-64 overflow-y-auto`} aria-label="Columns">
          <fieldset onKeyDown={moveAmongCheckboxes}>
            <legend className="px-2 pt-1.5 pb-1 text-[11px] font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400">Columns</legend>
            {control.columns.map((c, i) => (
              <div key={c.id} className="flex items-center rounded-md">
                <CheckRow checked={c.visible} disabled={!c.canHide} onToggle={() => control.setVisible(c.id, !c.visible)}>
                  <span className="truncate">{c.label}</span>
                </CheckRow>
                <button type="button" disabled={i === 0} onClick={() => control.move(c.id, -1)} aria-label={`Move ${c.label} left`} className="rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 disabled:invisible dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
                  <ArrowLeft className="size-3.5" aria-hidden />
                </button>
                <button type="button" disabled={i === control.columns.length - 1} onClick={() => control.move(c.id, 1)} aria-label={`Move ${c.label} right`} className="rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 disabled:invisible dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
                  <ArrowRight className="size-3.5" aria-hidden />
                </button>
              </div>
            ))}
          </fieldset>
          <div className="my-1 h-px bg-zinc-100 dark:bg-zinc-800" />
          <button type="button" onClick={control.reset} className="w-full rounded-md px-2 py-1.5 text-left text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
            Reset columns
          </button>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
