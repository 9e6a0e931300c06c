"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ArrowLeft, ArrowRight, Check, Columns3 } from "lucide-react";
import type { ColumnsControl } from "./event-table";
import { controlButton, menuPanel } from "./filter-controls";

/** Show, hide and reorder the table's columns; the choice is remembered for this person. */
export function ColumnMenu({ control }: { control: ColumnsControl }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className={controlButton} aria-label="Columns">
        <Columns3 className="size-3.5" aria-hidden />
        <span className="hidden sm:inline">Columns</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className={`${menuPanel} max-h-[70vh] w-64 overflow-y-auto`}>
          <DropdownMenu.Label className="px-2 pt-1.5 pb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase">Columns</DropdownMenu.Label>
          {control.columns.map((c, i) => (
            <div key={c.id} className="group flex items-center rounded-md data-[highlighted]:bg-zinc-100">
              <DropdownMenu.CheckboxItem
                checked={c.visible}
                disabled={!c.canHide}
                onSelect={(e) => {
                  e.preventDefault();
                  control.setVisible(c.id, !c.visible);
                }}
                className="flex min-w-0 flex-1 cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[disabled]:cursor-default data-[disabled]:opacity-60 data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
              >
                <span className={`flex size-4 shrink-0 items-center justify-center rounded border ${c.visible ? "border-indigo-600 bg-indigo-600 text-white" : "border-zinc-300 dark:border-zinc-600"}`}>
                  {c.visible ? <Check className="size-3" aria-hidden /> : null}
                </span>
                <span className="truncate">{c.label}</span>
              </DropdownMenu.CheckboxItem>
              <button type="button" disabled={i === 0} onClick={() => control.move(c.id, -1)} aria-label={`Move ${c.label} left`} className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-800 disabled:invisible dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
                <ArrowLeft className="size-3.5" aria-hidden />
              </button>
              <button type="button" disabled={i === control.columns.length - 1} onClick={() => control.move(c.id, 1)} aria-label={`Move ${c.label} right`} className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-800 disabled:invisible dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
                <ArrowRight className="size-3.5" aria-hidden />
              </button>
            </div>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100 dark:bg-zinc-800" />
          <DropdownMenu.Item onSelect={control.reset} className="cursor-pointer rounded-md px-2 py-1.5 text-zinc-600 outline-none data-[highlighted]:bg-zinc-100 dark:text-zinc-300 dark:data-[highlighted]:bg-zinc-800">
            Reset columns
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
