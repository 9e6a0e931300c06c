import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { RelativeTime } from "@/components/admin/relative-time";
import { RequireSchemaToggle } from "@/components/admin/require-schema-toggle";
import { Badge, Card, Empty, PageHeader, SEVERITY_TONE, tableClass, tdClass, thClass } from "@/components/admin/ui";
import { primaryButton } from "@/components/ui/styles";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { actionSummaries, unschemaedActions } from "@/lib/schemas/action-catalog";
import { requireSchemaSetting } from "@/lib/schemas/require-schema";

export const metadata: Metadata = { title: "Event schemas" };

export default async function SchemasPage() {
  await requireVendorAdmin("schemas.manage");
  const [actions, unschemaed, required] = await Promise.all([actionSummaries(), unschemaedActions(), requireSchemaSetting()]);
  const numbers = new Intl.NumberFormat("en-US");
  const custom = actions.filter((a) => !a.builtIn);
  const builtIn = actions.filter((a) => a.builtIn);

  const table = (rows: typeof actions, testId: string) => (
    <table className={tableClass} data-testid={testId}>
      <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900">
        <tr>
          <th className={thClass}>Action</th>
          <th className={thClass}>Severity</th>
          <th className={thClass}>Versions</th>
          <th className={thClass}>Columns</th>
          <th className={`${thClass} text-right`}>Events</th>
          <th className={thClass}>Last seen</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((a) => (
          <tr key={a.action} data-testid="schema-row" className="hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
            <td className={tdClass}>
              <Link href={`/admin/schemas/${encodeURIComponent(a.action)}`} className="group block">
                <span className="font-mono text-[13px] font-medium group-hover:text-indigo-600 dark:group-hover:text-indigo-400">{a.action}</span>
                {a.display.label ? <span className="block text-xs text-zinc-500">{a.display.label}</span> : null}
              </Link>
            </td>
            <td className={tdClass}>{a.display.severity ? <Badge tone={SEVERITY_TONE[a.display.severity]}>{a.display.severity}</Badge> : <span className="text-zinc-400">—</span>}</td>
            <td className={`${tdClass} tabular-nums`}>
              v{a.versions.at(-1)}
              {a.versions.length > 1 ? <span className="text-xs text-zinc-500"> · {a.versions.length} versions</span> : null}
            </td>
            <td className={tdClass}>
              <div className="flex flex-wrap gap-1">
                {(a.display.columns ?? []).map((c) => (
                  <code key={c} className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">
                    {c}
                  </code>
                ))}
              </div>
            </td>
            <td className={`${tdClass} text-right tabular-nums`}>{numbers.format(a.eventCount)}</td>
            <td className={`${tdClass} text-zinc-600 dark:text-zinc-300`}>
              <RelativeTime iso={a.lastSeenAt} empty="Never" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <>
      <PageHeader
        title="Event schemas"
        description="What each action may carry and how it reads in the viewer and CSV. Counts are summed over all organizations."
        actions={
          <Link href="/admin/schemas/new" className={primaryButton}>
            <Plus className="size-4" aria-hidden /> New action
          </Link>
        }
      />
      <div className="mb-6">
        <RequireSchemaToggle required={required} />
      </div>

      {unschemaed.length > 0 ? (
        <section className="mb-8">
          <h2 className="mb-2 text-sm font-semibold">
            Seen without a schema <span className="font-normal text-zinc-500">({unschemaed.length})</span>
          </h2>
          <Card>
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="unschemaed-actions">
              {unschemaed.map((a) => (
                <li key={a.action} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                  <div>
                    <span className="font-mono text-[13px] font-medium">{a.action}</span>
                    <span className="ml-3 text-xs text-zinc-500">
                      {numbers.format(a.eventCount)} events in {a.organizations} organization{a.organizations === 1 ? "" : "s"} · last <RelativeTime iso={a.lastSeenAt} />
                    </span>
                    {a.sample?.metadata && Object.keys(a.sample.metadata).length > 0 ? (
                      <div className="mt-1 flex flex-wrap gap-1">
                        {Object.keys(a.sample.metadata).map((key) => (
                          <code key={key} className="rounded bg-zinc-100 px-1 font-mono text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                            {key}
                          </code>
                        ))}
                      </div>
                    ) : null}
                  </div>
                  <Link href={`/admin/schemas/new?from=${encodeURIComponent(a.action)}`} className="rounded-md border border-zinc-300 px-2.5 py-1 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                    Create schema from sample
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
        </section>
      ) : null}

      <section className="mb-8">
        <h2 className="mb-2 text-sm font-semibold">Your actions</h2>
        <Card>{custom.length === 0 ? <Empty>No schemas yet. Create one, or start from an action seen in ingested events.</Empty> : table(custom, "schemas-table")}</Card>
      </section>
      <section>
        <h2 className="mb-1 text-sm font-semibold">Orgtrail&apos;s own events</h2>
        <p className="mb-2 text-xs text-zinc-500">Written by Orgtrail itself under the reserved orgtrail. prefix; their schemas ship with Orgtrail.</p>
        <Card>{table(builtIn, "builtin-schemas-table")}</Card>
      </section>
    </>
  );
}
