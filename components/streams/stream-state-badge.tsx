import { CircleAlert, CircleCheck, CirclePause, RefreshCw } from "lucide-react";
import type { StreamJson } from "@/lib/streams/stream-view";

const STYLES = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900",
  retrying: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-900",
  paused: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
  failing: "bg-red-50 text-red-800 ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900",
} as const;

const ICONS = { active: CircleCheck, retrying: RefreshCw, paused: CirclePause, failing: CircleAlert } as const;
const LABELS = { active: "Active", retrying: "Retrying", paused: "Paused", failing: "Failing" } as const;

/** What a stream's badge says: its state, with `retrying` for an active stream whose deliveries are failing for now. */
export const shownState = (stream: Pick<StreamJson, "state" | "retrying">) => (stream.state === "active" && stream.retrying ? "retrying" : stream.state);

/** A stream's state in words and an icon, not by colour alone. */
export function StreamStateBadge({ stream }: { stream: Pick<StreamJson, "state" | "retrying"> }) {
  const state = shownState(stream);
  const Icon = ICONS[state];
  return (
    <span data-testid="stream-state" className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${STYLES[state]}`}>
      <Icon className="size-3.5" aria-hidden />
      {LABELS[state]}
    </span>
  );
}
