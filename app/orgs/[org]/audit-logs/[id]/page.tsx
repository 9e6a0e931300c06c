import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { EventDetail } from "@/components/audit-log/event-detail";
import { AppError } from "@/lib/errors";
import { requireEventReader } from "@/lib/access/page-session";
import { schemaDisplays } from "@/lib/events/display";
import { getEvent } from "@/lib/events/search";

export const metadata: Metadata = { title: "Event" };

export default async function EventPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const scope = await requireEventReader(org);
  const [event, displays] = await Promise.all([
    getEvent(scope, id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    }),
    schemaDisplays(),
  ]);
  const back = `/orgs/${scope.organization.slug}/audit-logs`;
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-6">
      <Link href={back} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <ArrowLeft className="size-4" aria-hidden /> Audit log
      </Link>
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <EventDetail event={event} display={displays.byAction[event.action]} />
      </div>
    </main>
  );
}
