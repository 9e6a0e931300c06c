"use client";

import { useSyncExternalStore } from "react";

// Writers in this tab notify these; other tabs arrive as "storage" events.
const listeners = new Set<() => void>();
// Where the browser refuses storage (a portal framed by another site with third-party storage blocked), values live here for the page's life.
const memory = new Map<string, string>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** window.localStorage, or null where reading it throws (SecurityError in a blocked third-party frame). */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function read(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, next: string | null): void {
  if (next === null) memory.delete(key);
  else memory.set(key, next);
  try {
    if (next === null) storage()?.removeItem(key);
    else storage()?.setItem(key, next);
  } catch {
    // Full or refused: the in-memory value stands in.
  }
}

/**
 * One localStorage entry as React state, shared by every component that reads
 * it and kept in step across tabs. `serverValue` is what server rendering and
 * hydration show; `null` clears the entry.
 */
export function useLocalStorage(key: string, serverValue: string): [string | null, (next: string | null) => void] {
  const value = useSyncExternalStore(subscribe, () => read(key), () => serverValue);
  const set = (next: string | null) => {
    write(key, next);
    for (const listener of listeners) listener();
  };
  return [value, set];
}
