"use client";

import { useRef, useState, type PointerEvent } from "react";
import type { Histogram as HistogramData } from "@/lib/events/facets";
import { countOf, formatBucket, formatTime } from "./format";
import { useTimeZoneMode } from "./time-preference";

type Props = { data: HistogramData | undefined; loading: boolean; onZoom: (from: string, to: string) => void };

const HEIGHT = 64;

/** Events over time as bars; drag across (or click one bar) to zoom the view into that span. */
export function Histogram({ data, loading, onZoom }: Props) {
  const [mode] = useTimeZoneMode();
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const buckets = data?.buckets ?? [];
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const n = buckets.length;
  // Sampled counts (a filter the rollups cannot serve, on a large log) are estimates: said as "about", as the count line says it.
  const about = data?.exact === false ? "about " : "";

  function indexAt(event: PointerEvent): number {
    const rect = box.current!.getBoundingClientRect();
    return Math.min(n - 1, Math.max(0, Math.floor(((event.clientX - rect.left) / rect.width) * n)));
  }

  function finish(event: PointerEvent) {
    if (!drag || !data) return;
    const end = indexAt(event);
    const lo = Math.min(drag.start, end);
    const hi = Math.max(drag.start, end);
    setDrag(null);
    const width = data.bucket_seconds * 1000;
    const to = Math.min(Date.parse(buckets[hi]!.start) + width, Date.parse(data.to));
    onZoom(new Date(Math.max(Date.parse(buckets[lo]!.start), Date.parse(data.from))).toISOString(), new Date(to).toISOString());
  }

  const selection = drag ? { lo: Math.min(drag.start, drag.end), hi: Math.max(drag.start, drag.end) } : null;
  const shown = hover !== null ? buckets[hover] : undefined;
  const ticks = n > 1 ? [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n - 1] : [];

  return (
    <div className="select-none" data-testid="histogram">
      <div className="mb-1 flex h-4 items-center justify-between text-[11px] text-zinc-500 dark:text-zinc-400">
        <span>{shown ? `${formatTime(shown.start, mode).slice(0, 16)} · ${about}${countOf(shown.count, "event")}` : n ? (about ? "About: estimated from a sample · drag across the chart to zoom in" : "Drag across the chart to zoom in") : ""}</span>
        {data ? <span>per {bucketName(data.bucket_seconds)}</span> : null}
      </div>
      <div
        ref={box}
        role="img"
        aria-label={data ? `Histogram of ${about}${countOf(data.total, "event")}, one bar per ${bucketName(data.bucket_seconds)}` : "Loading histogram"}
        className={`relative cursor-crosshair touch-none ${loading && !data ? "animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" : ""}`}
        style={{ height: HEIGHT }}
        onPointerDown={(e) => {
          if (!n) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const i = indexAt(e);
          setDrag({ start: i, end: i });
        }}
        onPointerMove={(e) => {
          if (!n) return;
          const i = indexAt(e);
          setHover(i);
          if (drag) setDrag({ ...drag, end: i });
        }}
        onPointerUp={finish}
        onPointerLeave={() => setHover(null)}
        onPointerCancel={() => setDrag(null)}
      >
        {n ? (
          <svg className={`absolute inset-0 h-full w-full transition-opacity ${loading ? "opacity-50" : ""}`} viewBox={`0 0 ${n} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden>
            <line x1={0} x2={n} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-zinc-200 dark:stroke-zinc-800" strokeWidth={1} vectorEffect="non-scaling-stroke" />
            {selection ? <rect x={selection.lo} width={selection.hi - selection.lo + 1} y={0} height={HEIGHT} className="fill-indigo-500/15" /> : null}
            {buckets.map((b, i) => {
              const h = b.count ? Math.max(2, (b.count / max) * (HEIGHT - 4)) : 0;
              const active = hover === i || (selection && i >= selection.lo && i <= selection.hi);
              return <rect key={b.start} x={i + 0.12} width={0.76} y={HEIGHT - h} height={h} rx={0.15} className={active ? "fill-indigo-500" : "fill-indigo-400/70 dark:fill-indigo-400/60"} />;
            })}
          </svg>
        ) : null}
      </div>
      <div className="relative mt-1 h-4 text-[11px] text-zinc-600 tabular-nums dark:text-zinc-400" aria-hidden>
        {ticks.map((i, k) => (
          <span key={i} className="absolute whitespace-nowrap" style={k === ticks.length - 1 ? { right: 0 } : { left: `${(i / n) * 100}%`, transform: k === 0 ? undefined : "translateX(-50%)" }}>
            {formatBucket(buckets[i]!.start, data!.bucket_seconds, mode)}
          </span>
        ))}
      </div>
    </div>
  );
}

function bucketName(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? "day" : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
}
