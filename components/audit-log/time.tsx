"use client";

import { useState } from "react";
import { formatFullTime, formatTime, relativeTime } from "./format";
import { useTimeZoneMode } from "./time-preference";

/** A time in the chosen zone; hovering shows how long ago it was and the time in the other zone. */
export function Time({ iso, full = false, className }: { iso: string; full?: boolean; className?: string }) {
  const [mode] = useTimeZoneMode();
  const [title, setTitle] = useState<string>();
  const other = mode === "utc" ? "local" : "utc";
  return (
    <time
      dateTime={iso}
      title={title}
      onPointerEnter={() => setTitle(`${relativeTime(iso, Date.now())}\n${formatFullTime(iso, other)}`)}
      className={className}
    >
      {full ? formatFullTime(iso, mode) : formatTime(iso, mode)}
    </time>
  );
}
