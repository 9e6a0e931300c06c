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
