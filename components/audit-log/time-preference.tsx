"use client";

import { useLocalStorage } from "./use-local-storage";
import type { TimeZoneMode } from "./format";

/*
 * The viewer's choice of local time or UTC, kept in localStorage and shared by
 * every time on the page. Server rendering and hydration show UTC (the server
 * does not know the browser's zone); the browser then switches to its choice.
 */

const KEY = "orgtrail.time-zone";

export function useTimeZoneMode(): [TimeZoneMode, (mode: TimeZoneMode) => void] {
  const [stored, setStored] = useLocalStorage(KEY, "utc");
  return [stored === "utc" ? "utc" : "local", setStored];
}
