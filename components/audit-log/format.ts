import { formatDistanceStrict } from "date-fns";
import type { EventEntity } from "@/lib/events/types";

export type TimeZoneMode = "local" | "utc";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A table time: `2026-11-20 10:15:02` in the viewer's zone or UTC; fixed width so columns line up. */
export function formatTime(iso: string, mode: TimeZoneMode): string {
  const d = new Date(iso);
  if (mode === "utc") return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A time with milliseconds and its zone, for the detail panel. */
export function formatFullTime(iso: string, mode: TimeZoneMode): string {
  const d = new Date(iso);
  const ms = pad(mode === "utc" ? d.getUTCMilliseconds() : d.getMilliseconds(), 3);
  return `${formatTime(iso, mode)}.${ms} ${mode === "utc" ? "UTC" : zoneName(d)}`;
}

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName");
  return part?.value ?? "local";
}

/** "3 minutes ago" (or "in 2 minutes" for a clock running ahead). */
export function relativeTime(iso: string, now: number): string {
  const d = new Date(iso);
  const distance = formatDistanceStrict(d, now);
  return d.getTime() <= now ? `${distance} ago` : `in ${distance}`;
}

/** A short axis label for a histogram bucket, by bucket width. */
export function formatBucket(iso: string, bucketSeconds: number, mode: TimeZoneMode): string {
  const full = formatTime(iso, mode);
  if (bucketSeconds >= 86_400) return full.slice(0, 10);
  return `${full.slice(5, 10)} ${full.slice(11, 16)}`;
}

export function entityLabel(entity: EventEntity): string {
  return entity.name ? entity.name : `${entity.type}:${entity.id}`;
}

export function entityEmail(entity: EventEntity): string | null {
  const email = entity.metadata?.email;
  return typeof email === "string" ? email : null;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** `about 1.2M` style, for estimated totals. */
export function formatApproximate(n: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** `1 event`, `12,403 events`: a count with its noun in the right number. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}
