import type { Metadata } from "next";
import { AuditLogViewer } from "@/components/audit-log/audit-log-viewer";
import { parseViewState, resolveWindow, resultKey } from "@/components/audit-log/view-state";
import { can } from "@/lib/access/permissions";
import { requireVendorAdmin } from "@/lib/admin/vendor-admin";
import { requireEventReader } from "@/lib/auth/page-session";
import { schemaDisplays } from "@/lib/events/display";
import { firstPage } from "@/lib/events/search";

export const metadata: Metadata = { title: "Vendor audit log" };

/** The vendor's own log (the organization of kind "vendor"), in the same viewer customers use. */
export default async function VendorAuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireVendorAdmin();
  const scope = await requireEventReader("vendor");
  const view = parseViewState(await searchParams);
  const window = resolveWindow(view);
  const [initial, displays] = await Promise.all([firstPage(scope, { q: view.q, from: window.from, to: window.to, order: view.order, limit: 200 }), schemaDisplays()]);
  return (
    <div className="-mx-4 -my-6 flex min-h-[calc(100dvh-6.5rem)] flex-col lg:h-[calc(100dvh-6.5rem)]">
      <div className="px-4 pt-5 pb-3 sm:px-6">
        <h1 className="text-lg font-semibold tracking-tight">Vendor audit log</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">What your staff did in Orgtrail: schema changes, organizations, vendor API keys, settings and staff sign-ins.</p>
      </div>
      <AuditLogViewer
        org={scope.organization.slug}
        initial={{ key: resultKey(view), window, page: initial.page, issues: initial.issues }}
        displays={displays.byAction}
        metadataKeys={displays.metadataKeys}
        storageKey={`orgtrail.columns.v1:${user.userId}:vendor`}
        canExport={can(scope, "events.export")}
      />
    </div>
  );
}
