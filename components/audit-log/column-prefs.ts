"use client";

import { useMemo } from "react";
import { useLocalStorage } from "./use-local-storage";

/*
 * Which columns a person shows, in which order and how wide: remembered in
 * localStorage under a key that names the user, so two people sharing a
 * browser keep their own layouts.
 */

export type ColumnPrefs = { visibility: Record<string, boolean>; order: string[]; sizing: Record<string, number> };

function parse(raw: string, defaults: ColumnPrefs): ColumnPrefs {
  if (!raw) return defaults;
  try {
    const saved = JSON.parse(raw) as Partial<ColumnPrefs>;
    return {
      visibility: { ...defaults.visibility, ...(saved.visibility ?? {}) },
      order: Array.isArray(saved.order) ? saved.order.filter((id): id is string => typeof id === "string") : defaults.order,
      sizing: { ...(saved.sizing ?? {}) },
    };
  } catch {
    return defaults;
  }
}

export function useColumnPrefs(storageKey: string, defaults: ColumnPrefs): [ColumnPrefs, (next: ColumnPrefs | null) => void] {
  // A string snapshot: compared by value, so unchanged storage never re-renders.
  const [raw, setRaw] = useLocalStorage(storageKey, "");
  const prefs = useMemo(() => parse(raw ?? "", defaults), [raw, defaults]);
  const save = (next: ColumnPrefs | null) => setRaw(next ? JSON.stringify(next) : null);
  return [prefs, save];
}

/**
 * Prefs that show `ids` (a saved search's layout), in that order, and hide the
 * other columns that may be hidden. Ids the table does not have (a metadata
 * column no schema has any more) are skipped; widths stay as they were.
 */
export function withLayout(prefs: ColumnPrefs, columns: readonly { id: string; canHide: boolean }[], ids: readonly string[]): ColumnPrefs {
  const known = ids.filter((id) => columns.some((c) => c.id === id));
  if (!known.length) return prefs;
  const shown = new Set(known);
  return {
    visibility: Object.fromEntries(columns.map((c) => [c.id, !c.canHide || shown.has(c.id)])),
    order: [...known, ...columns.map((c) => c.id).filter((id) => !shown.has(id))],
    sizing: prefs.sizing,
  };
}
