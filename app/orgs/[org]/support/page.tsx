import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Eye, LifeBuoy, ScrollText } from "lucide-react";
import { GrantEnds } from "@/components/support/grant-time";
import { SupportAccessForm } from "@/components/support/support-access-form";
import { can } from "@/lib/access/permissions";
import { SUPPORT_DURATIONS_MINUTES, SUPPORT_FORM_LIMITS, activeSupportGrant } from "@/lib/access/support";
import { endSupportAccessAction } from "@/lib/support/support-actions";
import { requireOrgScope } from "@/lib/access/page-session";

export const metadata: Metadata = { title: "Support access" };

export default async function SupportAccessPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireOrgScope(org);
  if (scope.principal.kind !== "user" || !can(scope, "support.access") || scope.organization.kind !== "customer") notFound();
  const grant = await activeSupportGrant(scope.principal.userId, scope.organization.id);
  const { slug, name } = scope.organization;
  return (
    <main className="mx-auto max-w-2xl px-4 py-10">
      <div className="mb-6 flex items-start gap-3">
        <div className="rounded-lg bg-indigo-50 p-2 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-400">
          <LifeBuoy className="size-5" aria-hidden />
        </div>
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Support access to {name}</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            This organization&apos;s audit log belongs to the customer. Vendor support may open it read-only to help them, for up to {Math.max(...SUPPORT_DURATIONS_MINUTES) / 60} hours at a time.
          </p>
        </div>
      </div>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        {grant ? (
          <div className="space-y-4" data-testid="support-grant">
            <p className="flex items-center gap-2 text-sm font-medium text-emerald-700 dark:text-emerald-400">
              <Eye className="size-4" aria-hidden /> Read-only access open until <GrantEnds iso={grant.expiresAt.toISOString()} />
            </p>
            <blockquote className="rounded-md border-l-2 border-zinc-300 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-300">{grant.reason}</blockquote>
            <div className="flex items-center gap-3">
              <Link href={`/orgs/${slug}/audit-logs`} className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500">
                <ScrollText className="size-4" aria-hidden /> Open audit log
              </Link>
              <form action={endSupportAccessAction}>
                <input type="hidden" name="org" value={slug} />
                <button type="submit" className="rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                  End access now
                </button>
              </form>
            </div>
          </div>
        ) : (
          <SupportAccessForm org={slug} orgName={name} limits={SUPPORT_FORM_LIMITS} />
        )}
      </div>
      <ul className="mt-6 space-y-1.5 text-sm text-zinc-500 dark:text-zinc-400">
        <li>• Opening access writes an <code className="font-mono text-xs">orgtrail.support.accessed</code> event, with your reason, into {name}&apos;s own log.</li>
        <li>• You can search and read events. Exports and settings stay closed.</li>
      </ul>
    </main>
  );
}
