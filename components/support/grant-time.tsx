"use client";

import { formatTime } from "@/components/audit-log/format";
import { useTimeZoneMode } from "@/components/audit-log/time-preference";

/** The hour and minute a support grant ends, in the zone the viewer chose for the log (UTC until the browser knows). */
export function GrantEnds({ iso }: { iso: string }) {
  const [mode] = useTimeZoneMode();
  return (
    <time dateTime={iso} className="tabular-nums">
      {formatTime(iso, mode).slice(11, 16)}
      {mode === "utc" ? " UTC" : ""}
    </time>
  );
}
