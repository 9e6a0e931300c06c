"use client";

import { formatDistanceStrict } from "date-fns";
import { Eye, LogOut } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";
import { endSupportAccessToOrganizationsAction } from "@/lib/support/support-actions";
import { GrantEnds } from "./grant-time";

type Props = { org: string; orgName: string; reason: string; expiresAt: string };

// A clock that ticks every 15 s; null while rendering on the server and hydrating, so both match.
const TICK_MS = 15_000;
const subscribeToClock = (onTick: () => void) => {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
};
const clockNow = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

/**
 * Shown on every page of a customer's organization while a support engineer
 * reads it under a grant: whose data this is, until when, and why. When the
 * grant runs out the page is reloaded from the server, which closes the log.
 */
export function SupportBanner({ org, orgName, reason, expiresAt }: Props) {
  const router = useRouter();
  const now = useSyncExternalStore(subscribeToClock, clockNow, () => null);
  const ends = new Date(expiresAt).getTime();
  useEffect(() => {
    const timer = setTimeout(() => router.refresh(), Math.max(0, ends - Date.now()) + 1_000);
    return () => clearTimeout(timer);
  }, [ends, router]);
  const ended = now !== null && now >= ends;
  return (
    <div role="status" data-testid="support-banner" className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <div className="mx-auto flex h-11 max-w-[1600px] items-center gap-3 px-4 text-sm">
        <Eye className="size-4 shrink-0 text-amber-700 dark:text-amber-400" aria-hidden />
        <p className="min-w-0 flex-1 truncate" title={reason}>
          {ended ? (
            <>
              Support access to <strong className="font-semibold">{orgName}</strong> has ended
            </>
          ) : (
            <>
              Support access to <strong className="font-semibold">{orgName}</strong> ends at{" "}
              <strong className="font-semibold">
                <GrantEnds iso={expiresAt} />
              </strong>{" "}
              {now !== null ? <span className="text-amber-800 dark:text-amber-300">(in {formatDistanceStrict(ends, now)})</span> : null}
            </>
          )}
          <span className="text-amber-800 dark:text-amber-300">
            {" "}
            · read-only · reason: <q className="italic">{reason}</q>
          </span>
        </p>
        <form action={endSupportAccessToOrganizationsAction} className="shrink-0">
          <input type="hidden" name="org" value={org} />
          <button
            type="submit"
            className="inline-flex items-center gap-1.5 rounded-md border border-amber-400 bg-white px-2.5 py-1 text-sm font-medium text-amber-900 shadow-xs hover:bg-amber-100 dark:border-amber-700 dark:bg-amber-900 dark:text-amber-50 dark:hover:bg-amber-800"
          >
            <LogOut className="size-3.5" aria-hidden /> End access
          </button>
        </form>
      </div>
    </div>
  );
}
