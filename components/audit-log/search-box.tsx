"use client";

import { CircleAlert, Search, X } from "lucide-react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { suggestionsAt, type Suggestion, type SuggestionSource } from "./query-edit";

export type QueryProblem = { start: number; end: number; message: string };

type Props = {
  /** The query in the URL; the box starts from it (the parent keys the box by it). */
  initialQuery: string;
  /** The server's complaints, each about one term of the submitted query, in the query's order. */
  problems: readonly QueryProblem[];
  source: SuggestionSource;
  onSubmit: (q: string) => void;
};

/**
 * The query-language input: suggestions for the word under the caret, and the
 * server's complaints drawn under the exact terms they are about.
 */
export function SearchBox({ initialQuery, problems, source, onSubmit }: Props) {
  const [value, setValue] = useState(initialQuery);
  const [caret, setCaret] = useState(initialQuery.length);
  const [open, setOpen] = useState(false);
  // -1 until a suggestion is chosen with the arrows: Enter then runs what was typed.
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const listId = useId();
  // The server's error is about the submitted query; once edited, it no longer points at the right place.
  const shownProblems = value === initialQuery ? problems : [];
  const invalid = shownProblems.length > 0;

  const suggestions = open ? suggestionsAt(value, caret, source) : { start: 0, end: 0, items: [] as Suggestion[] };
  const items = suggestions.items;

  useEffect(() => {
    function focusOnSlash(event: globalThis.KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (event.key !== "/" || event.metaKey || event.ctrlKey || target?.closest("input, textarea, [contenteditable=true], [role=dialog]")) return;
      event.preventDefault();
      input.current?.focus();
    }
    window.addEventListener("keydown", focusOnSlash);
    return () => window.removeEventListener("keydown", focusOnSlash);
  }, []);

  function accept(item: Suggestion) {
    const before = value.slice(0, suggestions.start) + item.insert;
    const keepOpen = item.insert.endsWith(":");
    const next = before + (keepOpen ? "" : " ") + value.slice(suggestions.end).replace(/^\s+/, "");
    const position = before.length + (keepOpen ? 0 : 1);
    setValue(next);
    setCaret(position);
    setActive(-1);
    setOpen(keepOpen);
    requestAnimationFrame(() => input.current?.setSelectionRange(position, position));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Escape") {
      if (open && items.length) setOpen(false);
      else input.current?.blur();
      return;
    }
    if (!open || items.length === 0) {
      if (event.key === "ArrowDown") setOpen(true);
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (event.key === "ArrowDown" ? (i + 1) % items.length : i <= 0 ? items.length - 1 : i - 1));
    } else if (event.key === "Tab" || (event.key === "Enter" && active >= 0 && items[active] && caretInWord())) {
      event.preventDefault();
      accept(items[Math.max(0, active)]!);
    }
  }

  const caretInWord = () => suggestions.end > suggestions.start;

  function syncCaret() {
    const el = input.current;
    if (!el) return;
    setCaret(el.selectionStart ?? el.value.length);
    if (mirror.current) mirror.current.scrollLeft = el.scrollLeft;
  }

  return (
    <form
      role="search"
      className="relative min-w-0 flex-1"
      onSubmit={(event) => {
        event.preventDefault();
        setOpen(false);
        onSubmit(value.trim());
      }}
    >
      <div
        className={`relative flex h-9 items-center rounded-lg border bg-white shadow-xs transition focus-within:ring-2 dark:bg-zinc-900 ${
          invalid
            ? "border-red-400 focus-within:ring-red-500/25 dark:border-red-800"
            : "border-zinc-300 focus-within:border-indigo-500 focus-within:ring-indigo-500/25 dark:border-zinc-700"
        }`}
      >
        <Search className="pointer-events-none absolute left-3 size-4 text-zinc-500 dark:text-zinc-400" aria-hidden />
        {invalid ? (
          <div ref={mirror} aria-hidden className="pointer-events-none absolute inset-y-0 right-9 left-9 overflow-hidden font-mono text-sm leading-9 whitespace-pre text-transparent">
            {shownProblems.map((problem, index) => (
              <span key={problem.start}>
                {value.slice(index === 0 ? 0 : shownProblems[index - 1]!.end, problem.start)}
                <span className="rounded-sm bg-red-500/15 underline decoration-red-500 decoration-wavy decoration-1 underline-offset-4" data-testid="query-error-term">
                  {value.slice(problem.start, problem.end)}
                </span>
              </span>
            ))}
            {value.slice(shownProblems.at(-1)!.end)}
          </div>
        ) : null}
        <input
          ref={input}
          name="q"
          value={value}
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-label="Search events"
          aria-expanded={open && items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? `${listId}-error` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setCaret(e.target.selectionStart ?? e.target.value.length);
            setActive(-1);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={syncCaret}
          onClick={syncCaret}
          onScroll={syncCaret}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          placeholder='Search  action:user.*  -actor:bot  "invoice"'
          className="relative h-full w-full min-w-0 bg-transparent pr-9 pl-9 font-mono text-sm text-zinc-900 placeholder:font-sans placeholder:text-zinc-400 focus:outline-none focus-visible:outline-none dark:text-zinc-100"
        />
        {value ? (
          <button
            type="button"
            aria-label="Clear search"
            onClick={() => {
              setValue("");
              onSubmit("");
            }}
            className="absolute right-2 rounded p-1 text-zinc-500 dark:text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
          >
            <X className="size-3.5" aria-hidden />
          </button>
        ) : (
          <kbd className="pointer-events-none absolute right-2.5 hidden rounded border border-zinc-200 px-1.5 font-mono text-[11px] text-zinc-500 dark:text-zinc-400 sm:block dark:border-zinc-700">/</kbd>
        )}
      </div>
      {open && items.length > 0 ? (
        <ul
          id={listId}
          role="listbox"
          className="absolute top-full right-0 left-0 z-40 mt-1 max-h-80 overflow-auto rounded-lg border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          data-testid="query-suggestions"
        >
          {items.map((item, i) => (
            <li
              key={item.insert}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(item);
              }}
              className={`flex cursor-pointer items-center justify-between gap-4 px-3 py-1.5 ${i === active ? "bg-indigo-50 dark:bg-indigo-500/15" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60"}`}
            >
              <span className="truncate font-mono text-[13px]">{item.label}</span>
              {item.detail ? <span className="shrink-0 truncate text-xs text-zinc-500 dark:text-zinc-400">{item.detail}</span> : null}
            </li>
          ))}
          <li className="border-t border-zinc-100 px-3 pt-1.5 pb-1 text-[11px] text-zinc-500 dark:text-zinc-400 dark:border-zinc-800" aria-hidden>
            ↑↓ to choose · Tab to complete · Enter to search what you typed
          </li>
        </ul>
      ) : null}
      {invalid ? (
        <ul id={`${listId}-error`} role="alert" className="mt-1.5 space-y-1 text-sm text-red-600 dark:text-red-400" data-testid="query-error">
          {shownProblems.map((problem) => (
            <li key={problem.start} className="flex items-start gap-1.5">
              <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              <span>
                <code className="rounded bg-red-500/10 px-1 font-mono text-[13px]">{value.slice(problem.start, problem.end)}</code> {withoutTermPrefix(problem.message, value.slice(problem.start, problem.end))}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

/** The API's issue message starts with the term it is about; the term is already shown beside it. */
function withoutTermPrefix(message: string, term: string): string {
  return message.startsWith(`${term}: `) ? message.slice(term.length + 2) : message;
}
