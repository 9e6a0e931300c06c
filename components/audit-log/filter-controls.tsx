"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import * as Popover from "@radix-ui/react-popover";
import { Check, ChevronDown, Search, User, Box, Zap, X } from "lucide-react";
import { useState, type ReactNode } from "react";
import type { QueryTerm } from "@/lib/events/query-language";
import type { ActionFacet } from "./api";
import { formatCount } from "./format";
import { actionPrefixes, addTerm, hasTerm, removeTerm, termKeyLabel, toggleTerm } from "./query-edit";

export const controlButton =
  "inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] font-medium text-zinc-700 shadow-xs hover:bg-zinc-50 data-[state=open]:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800 dark:data-[state=open]:bg-zinc-800";
export const menuPanel =
  "z-50 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg outline-none dark:border-zinc-700 dark:bg-zinc-900";

type ControlsProps = { q: string; terms: QueryTerm[] | null; actions: ActionFacet[]; onChange: (q: string) => void };

/** Actions, Actor and Target: menus that add and remove terms of the same query the search box shows. */
export function FilterControls({ q, terms, actions, onChange }: ControlsProps) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ActionsMenu q={q} terms={terms} actions={actions} onChange={onChange} />
      <TermPopover label="Actor" icon={<User className="size-3.5" aria-hidden />} fields={[{ name: "value", label: "Actor id, name or email", placeholder: "ada@acme.test" }]} onAdd={({ value }) => onChange(addTerm(q, { key: "actor", value }))} />
      <TermPopover
        label="Target"
        icon={<Box className="size-3.5" aria-hidden />}
        fields={[
          { name: "type", label: "Target type", placeholder: "document" },
          { name: "id", label: "Target id (optional)", placeholder: "doc_7", optional: true },
        ]}
        onAdd={({ type, id }) => onChange(addTerm(q, { key: "target", value: id ? `${type}:${id}` : type! }))}
      />
    </div>
  );
}

function ActionsMenu({ q, terms, actions, onChange }: ControlsProps) {
  const [filter, setFilter] = useState("");
  const selected = terms?.filter((t) => t.key === "action" && !t.negated).length ?? 0;
  const needle = filter.trim().toLowerCase();
  const prefixes = actionPrefixes(actions.map((a) => a.action)).filter((p) => p.includes(needle));
  const shown = actions.filter((a) => a.action.includes(needle) || a.label?.toLowerCase().includes(needle)).slice(0, 200);
  const prefixCount = (prefix: string) => actions.filter((a) => a.action.startsWith(prefix.slice(0, -1))).reduce((sum, a) => sum + a.count, 0);
  return (
    <DropdownMenu.Root onOpenChange={() => setFilter("")}>
      <DropdownMenu.Trigger className={controlButton} data-testid="actions-menu">
        <Zap className="size-3.5" aria-hidden />
        Actions
        {selected ? <span className="rounded bg-indigo-600 px-1 text-[11px] leading-4 text-white">{selected}</span> : null}
        <ChevronDown className="size-3.5 text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className={`${menuPanel} w-80`}>
          <div className="relative mb-1">
            <Search className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-zinc-400" aria-hidden />
            <input
              autoFocus
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowDown" && e.key !== "Escape") e.stopPropagation();
              }}
              placeholder="Filter actions"
              aria-label="Filter actions"
              className="h-8 w-full rounded-md border border-zinc-200 bg-transparent pr-2 pl-7 text-sm focus:border-indigo-500 focus:outline-none dark:border-zinc-700"
            />
          </div>
          <div className="max-h-80 overflow-y-auto">
            {prefixes.length ? <MenuLabel>Prefixes</MenuLabel> : null}
            {prefixes.map((prefix) => (
              <ActionItem key={prefix} checked={hasTerm(terms, "action", prefix)} onSelect={() => onChange(toggleTerm(q, "action", prefix))} name={prefix} count={prefixCount(prefix)} />
            ))}
            <MenuLabel>Actions</MenuLabel>
            {shown.map((a) => (
              <ActionItem key={a.action} checked={hasTerm(terms, "action", a.action)} onSelect={() => onChange(toggleTerm(q, "action", a.action))} name={a.action} label={a.label} count={a.count} />
            ))}
            {shown.length === 0 ? <p className="px-2 py-3 text-center text-xs text-zinc-500">No action matches “{filter}”</p> : null}
          </div>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function MenuLabel({ children }: { children: ReactNode }) {
  return <DropdownMenu.Label className="px-2 pt-2 pb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{children}</DropdownMenu.Label>;
}

function ActionItem({ checked, onSelect, name, label, count }: { checked: boolean; onSelect: () => void; name: string; label?: string | null; count: number }) {
  return (
    <DropdownMenu.CheckboxItem
      checked={checked}
      onSelect={(e) => {
        e.preventDefault();
        onSelect();
      }}
      className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
    >
      <span className={`flex size-4 shrink-0 items-center justify-center rounded border ${checked ? "border-indigo-600 bg-indigo-600 text-white" : "border-zinc-300 dark:border-zinc-600"}`}>
        <DropdownMenu.ItemIndicator>
          <Check className="size-3" aria-hidden />
        </DropdownMenu.ItemIndicator>
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate font-mono text-[12.5px]">{name}</span>
        {label ? <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{label}</span> : null}
      </span>
      <span className="shrink-0 text-xs text-zinc-500 tabular-nums">{count ? formatCount(count) : ""}</span>
    </DropdownMenu.CheckboxItem>
  );
}

type Field = { name: string; label: string; placeholder: string; optional?: boolean };

function TermPopover({ label, icon, fields, onAdd }: { label: string; icon: ReactNode; fields: Field[]; onAdd: (values: Record<string, string>) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className={controlButton}>
        {icon}
        {label}
        <ChevronDown className="size-3.5 text-zinc-400" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} className={`${menuPanel} w-72 p-3`}>
          <form
            className="space-y-2.5"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const values = Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? "").trim()]));
              if (fields.some((f) => !f.optional && !values[f.name])) return;
              onAdd(values);
              setOpen(false);
            }}
          >
            {fields.map((field, i) => (
              <label key={field.name} className="block">
                <span className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">{field.label}</span>
                <input
                  name={field.name}
                  autoFocus={i === 0}
                  required={!field.optional}
                  placeholder={field.placeholder}
                  className="h-8 w-full rounded-md border border-zinc-300 bg-transparent px-2 font-mono text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/25 focus:outline-none dark:border-zinc-700"
                />
              </label>
            ))}
            <button type="submit" className="h-8 w-full rounded-md bg-indigo-600 text-sm font-medium text-white hover:bg-indigo-500">
              Add filter
            </button>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** The query's terms as chips; removing one removes that term from the query. */
export function TermChips({ q, terms, onChange }: { q: string; terms: QueryTerm[] | null; onChange: (q: string) => void }) {
  if (!terms?.length) return null;
  return (
    <ul className="flex flex-wrap items-center gap-1.5" aria-label="Active filters">
      {terms.map((term) => (
        <li
          key={`${term.start}:${term.end}`}
          data-testid="filter-chip"
          className={`inline-flex h-7 max-w-full items-center gap-1 rounded-md border pr-0.5 pl-2 text-[12.5px] ${
            term.negated ? "border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-900/60 dark:bg-rose-950/40 dark:text-rose-200" : "border-indigo-200 bg-indigo-50 text-indigo-950 dark:border-indigo-900/60 dark:bg-indigo-950/40 dark:text-indigo-100"
          }`}
        >
          <span className="shrink-0 text-zinc-500 dark:text-zinc-400">
            {termKeyLabel(term.key)} {term.negated ? "is not" : term.key === "text" ? "contains" : "is"}
          </span>
          <span className="truncate font-mono font-medium">{term.value}</span>
          <button
            type="button"
            aria-label={`Remove ${termKeyLabel(term.key)} ${term.value}`}
            onClick={() => onChange(removeTerm(q, term))}
            className="ml-0.5 rounded p-0.5 opacity-60 hover:bg-black/5 hover:opacity-100 dark:hover:bg-white/10"
          >
            <X className="size-3.5" aria-hidden />
          </button>
        </li>
      ))}
      <li>
        <button type="button" onClick={() => onChange("")} className="h-7 rounded-md px-2 text-[12.5px] text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
          Clear all
        </button>
      </li>
    </ul>
  );
}
