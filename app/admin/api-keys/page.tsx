import type { Metadata } from "next";
import { RelativeTime } from "@/components/admin/relative-time";
import { Badge, Card, Empty, PageHeader, tableClass, tdClass, thClass } from "@/components/admin/ui";
import { CreateVendorKeyButton, RevokeVendorKeyButton } from "@/components/admin/vendor-key-forms";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { listVendorKeys } from "@/lib/admin/vendor-keys";
import { API_KEY_SCOPES } from "@/lib/auth/api-key-secret";

export const metadata: Metadata = { title: "Vendor API keys" };

export default async function VendorKeysPage() {
  await requireVendorAdmin("orgs.manage");
  const keys = await listVendorKeys();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Vendor-wide keys for your backend and deploy scripts: they send events for any organization (naming it in organization_id). Customers' own keys live in their organization settings."
        actions={<CreateVendorKeyButton scopes={API_KEY_SCOPES} />}
      />
      <Card>
        {keys.length === 0 ? (
          <Empty>No vendor keys yet.</Empty>
        ) : (
          <table className={tableClass} data-testid="vendor-keys-table">
            <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900">
              <tr>
                <th className={thClass}>Name</th>
                <th className={thClass}>Key</th>
                <th className={thClass}>Scopes</th>
                <th className={thClass}>Last used</th>
                <th className={thClass}>Created</th>
                <th className={thClass}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {keys.map((key) => (
                <tr key={key.id} data-testid="vendor-key-row" className={key.revokedAt ? "text-zinc-500 dark:text-zinc-400" : ""}>
                  <td className={tdClass}>
                    <span className="font-medium">{key.name}</span>
                    {key.revokedAt ? (
                      <span className="ml-2">
                        <Badge tone="red">revoked</Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className={`${tdClass} font-mono text-xs`}>{key.prefix}…</td>
                  <td className={tdClass}>
                    <div className="flex flex-wrap gap-1">
                      {key.scopes.map((scope) => (
                        <Badge key={scope}>{scope}</Badge>
                      ))}
                    </div>
                  </td>
                  <td className={tdClass}>
                    <RelativeTime iso={key.lastUsedAt} empty="Never" />
                  </td>
                  <td className={tdClass}>
                    <RelativeTime iso={key.createdAt} />
                    {key.createdBy ? <span className="block text-xs text-zinc-500">by {key.createdBy}</span> : null}
                  </td>
                  <td className={`${tdClass} text-right`}>
                    {key.revokedAt ? (
                      <span className="text-xs">
                        Revoked <RelativeTime iso={key.revokedAt} />
                      </span>
                    ) : (
                      <RevokeVendorKeyButton id={key.id} name={key.name} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
