"use client";

import { useId } from "react";
import type { ActionResult } from "@/lib/access/action-result";
import { MAX_NAME_LENGTH } from "@/lib/saved-searches/saved-search-input";
import type { SavedSearch } from "@/lib/saved-searches/saved-searches";
import { FormDialog } from "@/components/ui/form-dialog";
import { inputClass } from "@/components/ui/styles";

/** What "Save current search…" stores: the view as the URL has it, and the table's visible columns. */
export type CurrentSearch = { q: string; rangeText: string; columnCount: number };

export type SaveChoices = { name: string; shared: boolean; withColumns: boolean };

type DialogProps = { open: boolean; onOpenChange: (open: boolean) => void; onSaved: (search: SavedSearch) => void };

const hintClass = "mt-0.5 text-xs text-zinc-600 dark:text-zinc-400";
const checkbox = "mt-0.5 size-4 rounded border-zinc-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-600";

/** A checkbox named by its label alone, its consequence read as its description. */
function Choice({ name, label, hint }: { name: string; label: string; hint: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input type="checkbox" id={`${id}-box`} name={name} aria-describedby={`${id}-hint`} className={checkbox} />
      <div className="text-sm">
        <label htmlFor={`${id}-box`} className="font-medium">
          {label}
        </label>
        <p id={`${id}-hint`} className={hintClass}>
          {hint}
        </p>
      </div>
    </div>
  );
}

function NameField({ defaultValue = "" }: { defaultValue?: string }) {
  return (
    <label className="block text-sm font-medium">
      Name
      <input name="name" required autoFocus maxLength={MAX_NAME_LENGTH} defaultValue={defaultValue} placeholder="Failed sign-ins this week" className={`${inputClass} mt-1`} autoComplete="off" />
    </label>
  );
}

/** Names the current view and keeps it: for oneself, or shared with everyone who reads the organization's log. */
export function SaveSearchDialog({ open, onOpenChange, onSaved, orgName, current, save }: DialogProps & { orgName: string; current: CurrentSearch; save: (choices: SaveChoices) => Promise<ActionResult<SavedSearch>> }) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Save current search"
      description="Come back to this query and time range from the Saved searches menu."
      submitLabel="Save search"
      pendingLabel="Saving…"
      submit={(form) => save({ name: String(form.get("name") ?? ""), shared: form.get("shared") === "on", withColumns: form.get("columns") === "on" })}
      onSuccess={onSaved}
    >
      <NameField />
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-950" data-testid="save-search-summary">
        <dt className="text-zinc-600 dark:text-zinc-400">Query</dt>
        <dd className="min-w-0 font-mono text-[13px] break-words">{current.q || <span className="font-sans text-zinc-600 dark:text-zinc-400">All events</span>}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Time range</dt>
        <dd>{current.rangeText}</dd>
      </dl>
      <Choice name="shared" label={`Share with everyone in ${orgName}`} hint="Everyone who can read this log sees its name and query in their list. Members still see only their own events." />
      <Choice name="columns" label="Include column layout" hint={`Applying it also shows the ${current.columnCount} columns you see now, in this order. Without it, everyone keeps their own columns.`} />
    </FormDialog>
  );
}

export function RenameSearchDialog({ open, onOpenChange, onSaved, search, rename }: DialogProps & { search: SavedSearch; rename: (name: string) => Promise<ActionResult<SavedSearch>> }) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Rename “${search.name}”`}
      description={search.shared ? "Everyone it is shared with sees the new name." : undefined}
      submitLabel="Rename"
      pendingLabel="Renaming…"
      submit={(form) => rename(String(form.get("name") ?? ""))}
      onSuccess={onSaved}
    >
      <NameField defaultValue={search.name} />
    </FormDialog>
  );
}
