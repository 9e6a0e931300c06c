"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Filter, FilterX } from "lucide-react";
import { createContext, useContext, type ReactNode } from "react";
import type { TermInput } from "@/lib/events/query-language";
import { menuPanel } from "./filter-controls";
import { termKeyLabel } from "./query-edit";

/** What the viewer does with "Filter to this" (negated: false) and "Exclude this" (negated: true). */
export type FilterHandler = (term: TermInput) => void;

const FilterContext = createContext<FilterHandler | null>(null);

/** Makes values below clickable filters; without it (the permalink page) they stay plain text. */
export function FilterProvider({ onFilter, children }: { onFilter: FilterHandler; children: ReactNode }) {
  return <FilterContext.Provider value={onFilter}>{children}</FilterContext.Provider>;
}

const ITEM = "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

type Props = {
  term: Omit<TermInput, "negated">;
  children: ReactNode;
  className?: string;
  /** Table cells leave it out of the Tab order (the row is the stop there); the detail panel keeps it in. */
  focusable?: boolean;
  title?: string;
};

/**
 * A value (an action, an actor, a target, an IP) that offers "Filter to this"
 * and "Exclude this", which add the term, or its negation, to the query.
 */
export function FilterValue({ term, children, className = "", focusable = true, title }: Props) {
  const onFilter = useContext(FilterContext);
  if (!onFilter) return <span className={className} title={title}>{children}</span>;
  // The menu lives in a portal, but React events still bubble to the row: they stop here so the row does not open too.
  const stop = (event: { stopPropagation(): void }) => event.stopPropagation();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          tabIndex={focusable ? undefined : -1}
          onClick={stop}
          title={title}
          className={`max-w-full min-w-0 cursor-pointer rounded-sm text-left decoration-zinc-400 decoration-dotted underline-offset-2 hover:underline data-[state=open]:underline ${className}`}
          data-testid="filter-value"
        >
          {children}
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className={`${menuPanel} w-64`} onClick={stop} onKeyDown={stop} data-testid="filter-value-menu">
          <DropdownMenu.Label className="truncate px-2 pt-1.5 pb-1 text-xs text-zinc-600 dark:text-zinc-400">
            {termKeyLabel(term.key)} <span className="font-mono text-zinc-900 dark:text-zinc-100">{term.value}</span>
          </DropdownMenu.Label>
          <DropdownMenu.Item className={ITEM} onSelect={() => onFilter({ ...term, negated: false })}>
            <Filter className="size-4 text-zinc-600 dark:text-zinc-400" aria-hidden /> Filter to this
          </DropdownMenu.Item>
          <DropdownMenu.Item className={ITEM} onSelect={() => onFilter({ ...term, negated: true })}>
            <FilterX className="size-4 text-zinc-600 dark:text-zinc-400" aria-hidden /> Exclude this
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
