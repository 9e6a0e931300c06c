import { RadioTower } from "lucide-react";
import Link from "next/link";
import type { StreamJson } from "@/lib/streams/stream-view";
import { StreamStateBadge } from "./stream-state-badge";
import { destinationTarget, DESTINATION_LABELS, FORMAT_LABELS } from "./stream-labels";
import { TimeAgo } from "./time-ago";

/** How far behind the head a stream is, in words. */
export const lagText = (lag: number) => (lag === 0 ? "Up to date" : `${lag.toLocaleString("en-US")} event${lag === 1 ? "" : "s"} behind`);

/** The organization's log streams: where each sends, what, and how delivery goes. */
export function StreamsTable({ org, streams, canManage }: { org: string; streams: StreamJson[]; canManage: boolean }) {
  if (streams.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-5 py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">
        <RadioTower className="size-6 text-zinc-400" aria-hidden />
        {canManage ? "No log streams yet. Add one to send this organization's events to your SIEM as they arrive." : "No log streams yet. Owners and admins can add one."}
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="streams-table">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <th className="px-5 py-2.5 font-medium">Stream</th>
            <th className="px-3 py-2.5 font-medium">Destination</th>
            <th className="px-3 py-2.5 font-medium">Format · filter</th>
            <th className="px-3 py-2.5 font-medium">Delivery</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {streams.map((stream) => (
            <tr key={stream.id} data-testid={`stream-${stream.name}`} className="align-baseline hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
              <td className="px-5 py-3">
                <Link href={`/orgs/${org}/settings/log-streams/${stream.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                  {stream.name}
                </Link>
                <div className="mt-1">
                  <StreamStateBadge stream={stream} />
                </div>
              </td>
              <td className="max-w-72 px-3 py-3">
                <div className="font-medium">{DESTINATION_LABELS[stream.type]}</div>
                <div className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400" title={destinationTarget(stream.destination)}>
                  {destinationTarget(stream.destination)}
                </div>
              </td>
              <td className="max-w-64 px-3 py-3">
                <div>{FORMAT_LABELS[stream.format]}</div>
                {stream.filter ? (
                  <code className="block truncate font-mono text-xs text-zinc-600 dark:text-zinc-400" title={stream.filter}>
                    {stream.filter}
                  </code>
                ) : (
                  <div className="text-xs text-zinc-600 dark:text-zinc-400">All events</div>
                )}
              </td>
              <td className="px-3 py-3">
                <div className="tabular-nums" data-testid="stream-lag">
                  {lagText(stream.lag_events)}
                </div>
                <div className="text-xs text-zinc-600 dark:text-zinc-400">{stream.last_delivered_at ? <>Last delivery <TimeAgo iso={stream.last_delivered_at} /></> : "Nothing delivered yet"}</div>
                {stream.paused_reason ? <div className="mt-1 max-w-80 text-xs text-zinc-700 dark:text-zinc-300">{stream.paused_reason}</div> : null}
                {stream.last_error ? (
                  <div className="mt-1 max-w-80 truncate font-mono text-xs text-red-700 dark:text-red-400" title={stream.last_error}>
                    {stream.last_error}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
