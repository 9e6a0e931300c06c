"use client";

import { useSyncExternalStore } from "react";

// Writers in this tab notify these; other tabs arrive as "storage" events.
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/**
 * One localStorage entry as React state, shared by every component that reads
 * it and kept in step across tabs. `serverValue` is what server rendering and
 * hydration show; `null` clears the entry.
 */
export function useLocalStorage(key: string, serverValue: string): [string | null, (next: string | null) => void] {
  const value = useSyncExternalStore(subscribe, () => window.localStorage.getItem(key), () => serverValue);
  const set = (next: string | null) => {
    if (next === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, next);
    for (const listener of listeners) listener();
  };
  return [value, set];
}
