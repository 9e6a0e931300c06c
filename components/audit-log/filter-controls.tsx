"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import * as Popover from "@radix-ui/react-popover";
import { Check, ChevronDown, Search, ShieldAlert, User, Box, Zap, X } from "lucide-react";
import { useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { QueryTerm } from "@/lib/events/query-language";
import type { ActionFacet } from "@/lib/events/facets";
import type { SchemaDisplays } from "./event-table";
import { formatCount } from "./format";
import { actionPrefixes, addTerm, hasTerm, removeTerm, termKeyLabel, toggleTerm, toggleTerms } from "./query-edit";
import { actionsWithSeverity, includesAllActions, SEVERITIES } from "./severity";
import { SeverityBadge } from "./severity-badge";

export const controlButton =
  "inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] font-medium text-zinc-700 shadow-xs hover:bg-zinc-50 data-[state=open]:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800 dark:data-[state=open]:bg-zinc-800";
export const menuPanel =
  "z-50 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg outline-none dark:border-zinc-700 dark:bg-zinc-900";

type ControlsProps = {
  q: string;
  terms: QueryTerm[] | null;
  actions: ActionFacet[];
  /** The counts are estimates from a sample of the range (the facets' `sampled`). */
  estimated: boolean;
  displays: SchemaDisplays;
  onChange: (q: string) => void;
};

/** Actions, Severity, Actor and Target: menus that add and remove terms of the same query the search box shows. */
export function FilterControls(props: ControlsProps) {
  const { q, onChange } = props;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ActionsMenu {...props} />
      <SeverityMenu {...props} />
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

function ActionsMenu({ q, terms, actions, estimated, onChange }: ControlsProps) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  // Actions with no event in this view are noise in a long list: hidden unless asked for (or already chosen).
  const [showAll, setShowAll] = useState(false);
  const selected = terms?.filter((t) => t.key === "action" && !t.negated).length ?? 0;
  const needle = filter.trim().toLowerCase();
  const visible = showAll ? actions : actions.filter((a) => a.count > 0 || hasTerm(terms, "action", a.action));
  const hiddenCount = actions.length - visible.length;
  const prefixCount = (prefix: string) => actions.filter((a) => a.action.startsWith(prefix.slice(0, -1))).reduce((sum, a) => sum + a.count, 0);
  const prefixes = actionPrefixes(visible.map((a) => a.action)).filter((p) => p.includes(needle));
  const shown = visible.filter((a) => a.action.includes(needle) || a.label?.toLowerCase().includes(needle)).slice(0, 200);
  const list = useRef<HTMLDivElement>(null);
  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setFilter("");
        setShowAll(false);
      }}
    >
      <Popover.Trigger className={controlButton} data-testid="actions-menu">
        <Zap className="size-3.5" aria-hidden />
        Actions
        {selected ? <span className="rounded bg-indigo-600 px-1 text-[11px] leading-4 text-white">{selected}</span> : null}
        <ChevronDown className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} className={`${menuPanel} w-80`} aria-label="Filter by action">
          <div className="relative mb-1">
            <Search className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-zinc-500 dark:text-zinc-400" aria-hidden />
            <input
              autoFocus
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowDown") return;
                e.preventDefault();
                list.current?.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
              }}
              placeholder="Filter actions"
              aria-label="Filter actions"
              className="h-8 w-full rounded-md border border-zinc-200 bg-transparent pr-2 pl-7 text-sm focus:border-indigo-500 focus:outline-none dark:border-zinc-700"
            />
          </div>
          <div ref={list} className="max-h-80 overflow-y-auto" onKeyDown={moveAmongCheckboxes} data-testid="actions-list">
            {prefixes.length ? (
              <fieldset>
                <GroupLegend>Prefixes</GroupLegend>
                {prefixes.map((prefix) => (
                  <CheckRow key={prefix} checked={hasTerm(terms, "action", prefix)} onToggle={() => onChange(toggleTerm(q, "action", prefix))}>
                    <ActionText name={prefix} count={prefixCount(prefix)} />
                  </CheckRow>
                ))}
              </fieldset>
            ) : null}
            <fieldset>
              <GroupLegend>Actions</GroupLegend>
              {shown.map((a) => (
                <CheckRow key={a.action} checked={hasTerm(terms, "action", a.action)} onToggle={() => onChange(toggleTerm(q, "action", a.action))}>
                  <ActionText name={a.action} label={a.label} count={a.count} />
                </CheckRow>
              ))}
            </fieldset>
            {shown.length === 0 ? <p className="px-2 py-3 text-center text-xs text-zinc-600 dark:text-zinc-400">{filter ? `No action matches “${filter}”` : "No events in this view"}</p> : null}
          </div>
          {estimated ? (
            <p className="border-t border-zinc-100 px-2 pt-1.5 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400" data-testid="actions-estimated">
              Counts are about: estimated from a sample of the range.
            </p>
          ) : null}
          {hiddenCount > 0 || showAll ? (
            <button
              type="button"
              onClick={() => setShowAll(!showAll)}
              className="mt-1 w-full rounded-md border-t border-zinc-100 px-2 py-1.5 text-left text-xs text-zinc-700 hover:bg-zinc-100 dark:border-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-800"
              data-testid="actions-show-all"
            >
              {showAll ? "Hide actions with no events" : `Show all actions (${hiddenCount} with no events here)`}
            </button>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Up and Down move between a list's checkboxes (Tab leaves the list). */
export function moveAmongCheckboxes(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const boxes = [...event.currentTarget.querySelectorAll<HTMLInputElement>("input[type=checkbox]")];
  const at = boxes.indexOf(event.target as HTMLInputElement);
  if (at < 0) return;
  event.preventDefault();
  boxes[Math.max(0, Math.min(boxes.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))]?.focus();
}

function GroupLegend({ children }: { children: ReactNode }) {
  return <legend className="px-2 pt-2 pb-1 text-[11px] font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{children}</legend>;
}

/** One checkbox row of a popover list: a native checkbox, named by the row's text. */
export function CheckRow({ checked, onToggle, disabled = false, children }: { checked: boolean; onToggle: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <label className="flex min-w-0 flex-1 cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 hover:bg-zinc-100 has-[:disabled]:cursor-default has-[:disabled]:opacity-60 has-[:focus-visible]:bg-zinc-100 dark:hover:bg-zinc-800 dark:has-[:focus-visible]:bg-zinc-800">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={onToggle} className="size-4 shrink-0 accent-indigo-600 focus-visible:outline-offset-1" />
      {children}
    </label>
  );
}

function ActionText({ name, label, count }: { name: string; label?: string | null; count: number }) {
  return (
    <>
      <span className="min-w-0 flex-1">
        <span className="block truncate font-mono text-[12.5px]">{name}</span>
        {label ? <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">{label}</span> : null}
      </span>
      <span className="shrink-0 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{count ? formatCount(count) : ""}</span>
    </>
  );
}

/**
 * Severity is an action's, from its schema: choosing a level adds an `action:`
 * term for each action of that level (terms of one key are ORed), so the filter
 * is an ordinary, shareable query; choosing it again removes them.
 */
function SeverityMenu({ q, terms, actions, displays, onChange }: ControlsProps) {
  const counts = new Map(actions.map((a) => [a.action, a.count]));
  const levels = SEVERITIES.map((severity) => {
    const members = actionsWithSeverity(displays, severity);
    return { severity, members, count: members.reduce((sum, a) => sum + (counts.get(a) ?? 0), 0), checked: includesAllActions(terms, members) };
  }).filter((level) => level.members.length > 0);
  const chosen = levels.filter((l) => l.checked).length;
  if (!levels.length) return null;
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className={controlButton} data-testid="severity-menu">
        <ShieldAlert className="size-3.5" aria-hidden />
        Severity
        {chosen ? <span className="rounded bg-indigo-600 px-1 text-[11px] leading-4 text-white">{chosen}</span> : null}
        <ChevronDown className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className={`${menuPanel} w-72`}>
          <MenuLabel>Events of actions with severity</MenuLabel>
          {levels.map((level) => (
            <DropdownMenu.CheckboxItem
              key={level.severity}
              checked={level.checked}
              onSelect={(e) => {
                e.preventDefault();
                onChange(toggleTerms(q, "action", level.members));
              }}
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
            >
              <span className={`flex size-4 shrink-0 items-center justify-center rounded border ${level.checked ? "border-indigo-600 bg-indigo-600 text-white" : "border-zinc-300 dark:border-zinc-600"}`}>
                <DropdownMenu.ItemIndicator>
                  <Check className="size-3" aria-hidden />
                </DropdownMenu.ItemIndicator>
              </span>
              <SeverityBadge severity={level.severity} />
              <span className="min-w-0 flex-1 truncate text-xs text-zinc-600 dark:text-zinc-400">
                {level.members.length} {level.members.length === 1 ? "action" : "actions"}
              </span>
              <span className="shrink-0 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{level.count ? formatCount(level.count) : ""}</span>
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Label className="px-2 pt-1.5 pb-1 text-[11px] text-zinc-600 dark:text-zinc-400">Adds the level&apos;s actions to the query as action: terms.</DropdownMenu.Label>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function MenuLabel({ children }: { children: ReactNode }) {
  return <DropdownMenu.Label className="px-2 pt-2 pb-1 text-[11px] font-medium tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">{children}</DropdownMenu.Label>;
}

type Field = { name: string; label: string; placeholder: string; optional?: boolean };

function TermPopover({ label, icon, fields, onAdd }: { label: string; icon: ReactNode; fields: Field[]; onAdd: (values: Record<string, string>) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className={controlButton}>
        {icon}
        {label}
        <ChevronDown className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
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
        <button type="button" onClick={() => onChange("")} className="h-7 rounded-md px-2 text-[12.5px] text-zinc-600 dark:text-zinc-400 hover:bg-zinc-100 hover:text-zinc-800 dark:hover:bg-zinc-800 dark:hover:text-zinc-200">
          Clear all
        </button>
      </li>
    </ul>
  );
}
