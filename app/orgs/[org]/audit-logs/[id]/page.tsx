import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { EventDetail } from "@/components/audit-log/event-detail";
import { ApiError } from "@/lib/api/errors";
import { requireEventReader } from "@/lib/auth/page-session";
import { getEvent } from "@/lib/events/search";

export const metadata: Metadata = { title: "Event" };

export default async function EventPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const scope = await requireEventReader(org);
  const event = await getEvent(scope, id).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  });
  return (
    <main className="mx-auto max-w-4xl px-4 py-6">
      <Link href={`/orgs/${scope.organization.slug}/audit-logs`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
        <ArrowLeft className="size-4" aria-hidden /> Audit log
      </Link>
      <EventDetail event={event} />
    </main>
  );
}
