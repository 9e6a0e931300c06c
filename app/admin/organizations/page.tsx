import type { Metadata } from "next";
import Link from "next/link";
import { CreateOrganizationButton, InviteOwnerButton, RenameOrganizationButton } from "@/components/admin/organization-forms";
import { RelativeTime } from "@/components/admin/relative-time";
import { Badge, Card, PageHeader, tableClass, tdClass, thClass } from "@/components/admin/ui";
import { listOrganizations } from "@/lib/admin/organizations";
import { requireVendorAdmin } from "@/lib/admin/vendor-admin";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  await requireVendorAdmin("orgs.manage");
  const organizations = await listOrganizations();
  const numbers = new Intl.NumberFormat("en-US");
  return (
    <>
      <PageHeader
        title="Organizations"
        description="Your customers' organizations. Events ingested counts every event ever appended to an organization's log (retention purges do not lower it)."
        actions={<CreateOrganizationButton />}
      />
      <Card>
        <table className={tableClass} data-testid="organizations-table">
          <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900">
            <tr>
              <th className={thClass}>Organization</th>
              <th className={`${thClass} text-right`}>Events ingested</th>
              <th className={thClass}>Last event</th>
              <th className={thClass}>Members</th>
              <th className={thClass}>Created</th>
              <th className={thClass}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {organizations.map((org) => (
              <tr key={org.id} data-testid="organization-row" className="hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
                <td className={tdClass}>
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{org.name}</span>
                    {org.kind === "vendor" ? <Badge tone="indigo">vendor log</Badge> : null}
                  </div>
                  <div className="font-mono text-xs text-zinc-500">{org.slug}</div>
                </td>
                <td className={`${tdClass} text-right tabular-nums`}>{numbers.format(org.eventsIngested)}</td>
                <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
                  <RelativeTime iso={org.lastEventAt} empty="No events yet" />
                </td>
                <td className={tdClass}>
                  {org.kind === "vendor" ? (
                    <span className="text-zinc-400">—</span>
                  ) : (
                    <div className="flex flex-wrap items-center gap-1.5">
                      <span className="tabular-nums">{org.members}</span>
                      {org.owners === 0 ? <Badge tone="amber">no owner</Badge> : null}
                      {org.pendingInvites > 0 ? <Badge>{org.pendingInvites} pending invite{org.pendingInvites === 1 ? "" : "s"}</Badge> : null}
                    </div>
                  )}
                </td>
                <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
                  <RelativeTime iso={org.createdAt} />
                </td>
                <td className={`${tdClass} text-right`}>
                  <div className="flex justify-end gap-1">
                    {org.kind === "vendor" ? (
                      <Link href="/admin/audit-logs" className="rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
                        Open log
                      </Link>
                    ) : null}
                    {org.kind === "customer" && org.owners === 0 ? <InviteOwnerButton id={org.id} name={org.name} /> : null}
                    <RenameOrganizationButton id={org.id} name={org.name} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
