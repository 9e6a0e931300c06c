"use client";

import { useSyncExternalStore } from "react";
import type { TimeZoneMode } from "./format";

/*
 * The viewer's choice of local time or UTC, kept in localStorage and shared by
 * every time on the page. Server rendering and hydration show UTC (the server
 * does not know the browser's zone); the browser then switches to its choice.
 */

const KEY = "orgtrail.time-zone";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function snapshot(): TimeZoneMode {
  return window.localStorage.getItem(KEY) === "utc" ? "utc" : "local";
}

export function useTimeZoneMode(): [TimeZoneMode, (mode: TimeZoneMode) => void] {
  const mode = useSyncExternalStore(subscribe, snapshot, () => "utc" as const);
  const set = (next: TimeZoneMode) => {
    window.localStorage.setItem(KEY, next);
    for (const listener of listeners) listener();
  };
  return [mode, set];
}
