import type { Metadata } from "next";
import { ScopedAuditLog } from "@/components/audit-log/scoped-audit-log";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { requireEventReader } from "@/lib/access/page-session";

export const metadata: Metadata = { title: "Vendor audit log" };

/** The vendor's own log (the organization of kind "vendor"), in the same viewer customers use. */
export default async function VendorAuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireVendorAdmin();
  const scope = await requireEventReader("vendor");
  return (
    <div className="-mx-4 -my-6 flex min-h-[calc(100dvh-6.5rem)] flex-col lg:h-[calc(100dvh-6.5rem)]">
      <div className="px-4 pt-5 pb-3 sm:px-6">
        <h1 className="text-lg font-semibold tracking-tight">Vendor audit log</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">What your staff did in Orgtrail: schema changes, organizations, vendor API keys, settings and staff sign-ins.</p>
      </div>
      <ScopedAuditLog scope={scope} searchParams={await searchParams} storageKey={`orgtrail.columns.v1:${user.userId}:vendor`} />
    </div>
  );
}
