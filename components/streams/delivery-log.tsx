import { CircleCheck, CircleX, ScrollText } from "lucide-react";
import type { DeliveryJson } from "@/lib/streams/stream-view";
import { utc } from "./stream-labels";

const seqRange = (d: DeliveryJson) => (d.first_seq === null ? "—" : d.first_seq === d.last_seq ? `${d.first_seq}` : `${d.first_seq}–${d.last_seq}`);

/** The stream's latest delivery attempts, newest first. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryJson[] }) {
  if (deliveries.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">
        <ScrollText className="size-6 text-zinc-400" aria-hidden />
        No deliveries yet. Events are sent as they arrive; a test event shows here too.
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="delivery-log">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <th className="px-5 py-2.5 font-medium">Time</th>
            <th className="px-3 py-2.5 font-medium">Kind</th>
            <th className="px-3 py-2.5 font-medium">Result</th>
            <th className="px-3 py-2.5 text-right font-medium">Latency</th>
            <th className="px-3 py-2.5 text-right font-medium">Events</th>
            <th className="px-3 py-2.5 font-medium">Seq</th>
            <th className="px-5 py-2.5 font-medium">Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery-row" className="align-baseline">
              <td className="px-5 py-2.5 font-mono text-xs whitespace-nowrap">
                <time dateTime={d.attempted_at}>{utc(d.attempted_at)}</time>
              </td>
              <td className="px-3 py-2.5">{d.kind === "test" ? "Test" : "Batch"}</td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                {d.ok ? (
                  <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
                    <CircleCheck className="size-4" aria-hidden /> Delivered
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-400">
                    <CircleX className="size-4" aria-hidden /> Failed
                  </span>
                )}
                {d.status !== null ? <span className="ml-1.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">HTTP {d.status}</span> : null}
              </td>
              <td className="px-3 py-2.5 text-right whitespace-nowrap tabular-nums">{d.latency_ms.toLocaleString("en-US")} ms</td>
              <td className="px-3 py-2.5 text-right tabular-nums">{d.event_count.toLocaleString("en-US")}</td>
              <td className="px-3 py-2.5 font-mono text-xs whitespace-nowrap">{seqRange(d)}</td>
              <td className="max-w-96 px-5 py-2.5 font-mono text-xs break-words text-red-700 dark:text-red-400">{d.error}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
