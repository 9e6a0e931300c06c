"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronUp, Link2, X } from "lucide-react";
import Link from "next/link";
import type { AuditEvent } from "@/lib/events/types";
import { ApiFailure, fetchEvent } from "./api";
import { EventDetail } from "./event-detail";
import type { SchemaDisplays } from "./event-table";

type Props = {
  org: string;
  eventId: string | null;
  /** The event when it is among the loaded rows; otherwise it is fetched by id. */
  loaded: AuditEvent | undefined;
  displays: SchemaDisplays;
  onClose: () => void;
  /** After the panel has closed: the viewer puts focus back on the event's row. */
  onClosed: () => void;
  onStep: ((by: -1 | 1) => void) | null;
};

const iconButton = "rounded-md p-1.5 text-zinc-600 dark:text-zinc-400 hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-40 dark:hover:bg-zinc-800 dark:hover:text-zinc-100";

/** The side panel of one event: slides in over the table, Escape or Back closes it, j/k step through rows. */
export function EventPanel({ org, eventId, loaded, displays, onClose, onClosed, onStep }: Props) {
  const fetched = useQuery({
    queryKey: ["event", org, eventId],
    queryFn: ({ signal }) => fetchEvent(org, eventId!, signal),
    enabled: !!eventId && !loaded,
    // A missing (or hidden) event stays missing: say so at once instead of asking again.
    retry: (count, error) => !(error instanceof ApiFailure && error.status < 500) && count < 2,
  });
  const event = loaded ?? fetched.data;
  const notFound = fetched.error instanceof ApiFailure && fetched.error.status === 404;
  return (
    <Dialog.Root open={!!eventId} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/20 backdrop-blur-[1px] dark:bg-black/50" />
        <Dialog.Content
          aria-describedby={undefined}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            onClosed();
          }}
          onKeyDown={(e) => {
            const target = e.target as HTMLElement;
            // Typing, a menu's own arrows, and the arrow that opens a value's menu are not steps.
            if (!onStep || target.closest("input, textarea, [role=menu]") || (target.hasAttribute("aria-haspopup") && e.key.startsWith("Arrow"))) return;
            if (e.key === "j" || e.key === "ArrowDown") onStep(1);
            if (e.key === "k" || e.key === "ArrowUp") onStep(-1);
          }}
          className="fixed inset-y-0 right-0 z-50 flex w-full flex-col border-l border-zinc-200 bg-white shadow-2xl focus:outline-none sm:w-[560px] dark:border-zinc-800 dark:bg-zinc-950"
          data-testid="event-panel"
        >
          <div className="flex h-12 shrink-0 items-center gap-1 border-b border-zinc-200 px-3 dark:border-zinc-800">
            <Dialog.Title className="mr-auto text-sm font-medium text-zinc-600 dark:text-zinc-300">Event</Dialog.Title>
            {onStep ? (
              <>
                <button type="button" className={iconButton} onClick={() => onStep(-1)} aria-label="Previous event (k)">
                  <ChevronUp className="size-4" aria-hidden />
                </button>
                <button type="button" className={iconButton} onClick={() => onStep(1)} aria-label="Next event (j)">
                  <ChevronDown className="size-4" aria-hidden />
                </button>
              </>
            ) : null}
            {event ? (
              <Link href={`/orgs/${encodeURIComponent(org)}/audit-logs/${event.id}`} className={`${iconButton} inline-flex items-center gap-1 text-xs font-medium`} data-testid="permalink">
                <Link2 className="size-4" aria-hidden /> Permalink
              </Link>
            ) : null}
            <Dialog.Close className={iconButton} aria-label="Close">
              <X className="size-4" aria-hidden />
            </Dialog.Close>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {event ? (
              <EventDetail event={event} display={displays[event.action]} />
            ) : fetched.isError ? (
              <div className="p-5" data-testid="event-not-found" role="status">
                <p className="font-medium">{notFound ? "Event not found" : "This event could not be loaded"}</p>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                  {notFound ? "No event with this id is in this organization's log, or it is outside what you may see. The link may be mistyped, or the event was removed by retention." : fetched.error.message}
                </p>
              </div>
            ) : (
              <div className="space-y-3 p-5" aria-label="Loading event">
                {[60, 40, 80, 70, 50].map((w, i) => (
                  <div key={i} className="h-4 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" style={{ width: `${w}%` }} />
                ))}
              </div>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
