import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { utc } from "./stream-labels";

type Failing = { id: string; name: string; failing_since: string };

/**
 * Shown to those who manage log streams on every page of the organization while
 * a stream has failed to deliver for a day: which one, since when, and that no
 * event is lost.
 */
export function FailingStreamsBanner({ org, streams }: { org: string; streams: Failing[] }) {
  const [first, ...others] = streams;
  if (!first) return null;
  return (
    <div role="alert" data-testid="failing-streams-banner" className="border-b border-red-300 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
      <div className="mx-auto flex h-11 max-w-[1600px] items-center gap-3 px-4 text-sm">
        <TriangleAlert className="size-4 shrink-0 text-red-700 dark:text-red-400" aria-hidden />
        <p className="min-w-0 flex-1 truncate">
          Log stream <strong className="font-semibold">{first.name}</strong> has failed to deliver since{" "}
          <time dateTime={first.failing_since}>{utc(first.failing_since)}</time>; events are waiting and will be sent when it recovers.
          {others.length ? ` ${others.length} more stream${others.length === 1 ? " is" : "s are"} failing too.` : null}
        </p>
        <Link
          href={others.length ? `/orgs/${org}/settings/log-streams` : `/orgs/${org}/settings/log-streams/${first.id}`}
          className="shrink-0 rounded-md border border-red-400 bg-white px-2.5 py-1 text-sm font-medium text-red-900 shadow-xs hover:bg-red-100 dark:border-red-700 dark:bg-red-900 dark:text-red-50 dark:hover:bg-red-800"
        >
          {others.length ? "View streams" : "View stream"}
        </Link>
      </div>
    </div>
  );
}
