import type { Metadata } from "next";
import { ScopedAuditLog } from "@/components/audit-log/scoped-audit-log";
import { can } from "@/lib/access/permissions";
import { requireEventReader } from "@/lib/access/page-session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const scope = await requireEventReader(org);
  const ownOnly = !can(scope, "events.read.all");
  const person = scope.principal.kind === "user" ? scope.principal.userId : "key";
  return (
    <main id="main" className="mx-auto flex min-h-[calc(100dvh-3.5rem)] max-w-[1600px] flex-col lg:h-[calc(100dvh-3.5rem)]">
      <div className="px-4 pt-5 pb-3 sm:px-6">
        <h1 className="text-lg font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Every recorded action in {scope.organization.name}.</p>
        {ownOnly ? (
          <p className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="own-events-notice">
            You are a member of this organization, so this view is limited to your own activity: events where you are the actor or a target.
          </p>
        ) : null}
      </div>
      <ScopedAuditLog scope={scope} searchParams={await searchParams} storageKey={`orgtrail.columns.v1:${person}`} />
    </main>
  );
}
