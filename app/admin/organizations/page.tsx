import type { Metadata } from "next";
import Link from "next/link";
import { LogOut, ScrollText } from "lucide-react";
import { CreateOrganizationButton, InviteOwnerButton, OrganizationAliasButton, OrganizationSsoButton, RenameOrganizationButton, RequestSupportAccessButton } from "@/components/admin/organization-forms";
import { RelativeTime } from "@/components/admin/relative-time";
import { Badge, Card, PageHeader, tableClass, tdClass, thClass } from "@/components/admin/ui";
import { GrantEnds } from "@/components/support/grant-time";
import { activeSupportGrantsOf, SUPPORT_FORM_LIMITS } from "@/lib/access/support";
import { endSupportAccessToOrganizationsAction } from "@/lib/support/support-actions";
import { listOrganizations } from "@/lib/admin/organizations";
import { hasVendorPermission, requireVendorStaff } from "@/lib/access/vendor-permissions";
import { oidcSettings } from "@/lib/auth/oidc-config";

export const metadata: Metadata = { title: "Organizations" };

const rowLink = "inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";

/**
 * Vendor admins manage organizations here. Support staff see the customer
 * organizations read-only, to ask for access to one's log (DESIGN: vendor
 * admins read no customer events, so they get no such button).
 */
export default async function OrganizationsPage() {
  const user = await requireVendorStaff(["orgs.manage", "support.access"]);
  const manage = hasVendorPermission(user, "orgs.manage");
  const support = hasVendorPermission(user, "support.access");
  const [all, grants] = await Promise.all([listOrganizations(), support ? activeSupportGrantsOf(user.userId) : new Map<string, Date>()]);
  const organizations = manage ? all : all.filter((org) => org.kind === "customer");
  const numbers = new Intl.NumberFormat("en-US");
  const ssoConfigured = oidcSettings() !== null;
  return (
    <>
      <PageHeader
        title="Organizations"
        description={
          manage
            ? "Your customers' organizations. Events ingested counts every event ever appended to an organization's log (retention purges do not lower it)."
            : "Your customers' organizations. Their audit logs belong to them: to read one, request read-only access with a reason. The customer sees your name, the reason and the duration in their own log."
        }
        actions={manage ? <CreateOrganizationButton /> : null}
      />
      <Card>
        <table className={tableClass} data-testid="organizations-table">
          <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900">
            <tr>
              <th className={thClass}>Organization</th>
              <th className={`${thClass} text-right`}>Events ingested</th>
              <th className={thClass}>Last event</th>
              <th className={thClass}>Members</th>
              {support ? <th className={thClass}>Support access</th> : <th className={thClass}>Created</th>}
              <th className={thClass}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {organizations.map((org) => {
              const accessUntil = grants.get(org.id);
              return (
                <tr key={org.id} data-testid="organization-row" data-slug={org.slug} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
                  <td className={tdClass}>
                    <div className="flex items-center gap-2">
                      <span className="font-medium">{org.name}</span>
                      {org.kind === "vendor" ? <Badge tone="indigo">vendor log</Badge> : null}
                    </div>
                    <div className="font-mono text-xs text-zinc-500">{org.slug}</div>
                    {manage && org.alias ? (
                      <div className="text-xs text-zinc-500" title="WorkOS organization ID: events and API calls may name this organization by it">
                        WorkOS: <span className="font-mono" data-testid="organization-alias">{org.alias}</span>
                      </div>
                    ) : null}
                    {manage && org.ssoDomains.length > 0 ? <div className="text-xs text-zinc-500" data-testid="sso-domains">SSO: {org.ssoDomains.join(", ")} · joins as {org.ssoDefaultRole}</div> : null}
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
                        {manage && org.pendingInvites > 0 ? <Badge>{org.pendingInvites} pending invite{org.pendingInvites === 1 ? "" : "s"}</Badge> : null}
                      </div>
                    )}
                  </td>
                  {support ? (
                    <td className={tdClass} data-testid="support-access-status">
                      {accessUntil ? (
                        <Badge tone="green">
                          Open until&nbsp;
                          <GrantEnds iso={accessUntil.toISOString()} />
                        </Badge>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                  ) : (
                    <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
                      <RelativeTime iso={org.createdAt} />
                    </td>
                  )}
                  <td className={`${tdClass} text-right`}>
                    <div className="flex justify-end gap-1">
                      {manage && org.kind === "vendor" ? (
                        <Link href="/admin/audit-logs" className={rowLink}>
                          Open log
                        </Link>
                      ) : null}
                      {manage && org.kind === "customer" && org.owners === 0 ? <InviteOwnerButton id={org.id} name={org.name} /> : null}
                      {manage ? <RenameOrganizationButton id={org.id} name={org.name} /> : null}
                      {manage && org.kind === "customer" ? <OrganizationAliasButton id={org.id} name={org.name} alias={org.alias} /> : null}
                      {manage && org.kind === "customer" ? <OrganizationSsoButton id={org.id} name={org.name} domains={org.ssoDomains} defaultRole={org.ssoDefaultRole} configured={ssoConfigured} /> : null}
                      {support && org.kind === "customer" && accessUntil ? (
                        <>
                          <Link href={`/orgs/${org.slug}/audit-logs`} className={`${rowLink} font-medium text-indigo-700 dark:text-indigo-300`} aria-label={`Open log of ${org.name}`}>
                            <ScrollText className="size-4" aria-hidden /> Open log
                          </Link>
                          <form action={endSupportAccessToOrganizationsAction}>
                            <input type="hidden" name="org" value={org.slug} />
                            <button type="submit" className={rowLink} aria-label={`End support access to ${org.name}`}>
                              <LogOut className="size-4" aria-hidden /> End access
                            </button>
                          </form>
                        </>
                      ) : null}
                      {support && org.kind === "customer" && !accessUntil ? <RequestSupportAccessButton slug={org.slug} name={org.name} limits={SUPPORT_FORM_LIMITS} /> : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
    </>
  );
}
