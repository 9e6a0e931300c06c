import type { Metadata } from "next";
import { EventTable } from "@/components/audit-log/event-table";
import { SearchBox } from "@/components/audit-log/search-box";
import { can } from "@/lib/access/permissions";
import { ApiError } from "@/lib/api/errors";
import { requireEventReader } from "@/lib/auth/page-session";
import { searchEvents, type SearchPage } from "@/lib/events/search";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ q?: string }> }) {
  const { org } = await params;
  const scope = await requireEventReader(org);
  const q = (await searchParams).q?.slice(0, 2000) ?? "";
  let initial: SearchPage | null = null;
  let error: string | null = null;
  try {
    initial = await searchEvents(scope, { q, limit: 100, order: "desc" });
  } catch (caught) {
    if (!(caught instanceof ApiError) || caught.status !== 400) throw caught;
    error = caught.issues?.[0]?.message ?? caught.message;
  }
  const ownOnly = !can(scope, "events.read.all");
  return (
    <main className="mx-auto max-w-[1600px] px-4 py-6">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Every recorded action in {scope.organization.name}, newest first.</p>
        </div>
      </div>
      {ownOnly ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="own-events-notice">
          You are a member of this organization, so this view is limited to your own activity: events where you are the actor or a target.
        </p>
      ) : null}
      <SearchBox initialQuery={q} error={error} />
      <EventTable key={q} org={scope.organization.slug} q={q} initialPage={initial} />
    </main>
  );
}
