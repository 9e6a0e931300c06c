import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RelativeTime } from "@/components/admin/relative-time";
import { Badge, Card, PageHeader, SEVERITY_TONE } from "@/components/admin/ui";
import { primaryButton } from "@/components/ui/styles";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { actionStats } from "@/lib/schemas/action-catalog";
import { versionsOf } from "@/lib/schemas/schema-store";

export const metadata: Metadata = { title: "Event schema" };

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <p className="text-sm text-zinc-500">None: anything allowed.</p>;
  return <pre className="overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 dark:bg-zinc-950">{JSON.stringify(value, null, 2)}</pre>;
}

export default async function SchemaPage({ params }: { params: Promise<{ action: string }> }) {
  await requireVendorAdmin("schemas.manage");
  const action = decodeURIComponent((await params).action);
  const [versions, stats] = await Promise.all([versionsOf(action), actionStats(action)]);
  if (versions.length === 0) notFound();
  const builtIn = action.startsWith("orgtrail.");
  const latest = versions.at(-1)!;
  return (
    <>
      <PageHeader back={{ href: "/admin/schemas", label: "Event schemas" }}
        title={action}
        description={
          <>
            {latest.display.label ?? "No label"} · {new Intl.NumberFormat("en-US").format(stats.eventCount)} events in {stats.organizations} organization{stats.organizations === 1 ? "" : "s"} · last seen <RelativeTime iso={stats.lastSeenAt} empty="never" />
          </>
        }
        actions={
          builtIn ? (
            <Badge>built in</Badge>
          ) : (
            <Link href={`/admin/schemas/${encodeURIComponent(action)}/versions/new`} className={primaryButton}>
              New version
            </Link>
          )
        }
      />
      <div className="space-y-4">
        {[...versions].reverse().map((v) => (
          <Card key={v.version}>
            <div data-testid="schema-version" className="p-4">
              <div className="mb-3 flex flex-wrap items-center gap-2">
                <h2 className="text-base font-semibold">Version {v.version}</h2>
                {v.version === latest.version ? <Badge tone="green">latest</Badge> : <Badge>still validates events that name it</Badge>}
                {v.display.severity ? <Badge tone={SEVERITY_TONE[v.display.severity]}>{v.display.severity}</Badge> : null}
                <span className="ml-auto text-xs text-zinc-500">
                  Created <RelativeTime iso={v.created_at} />
                </span>
              </div>
              <dl className="mb-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
                <div>
                  <dt className="text-xs text-zinc-500">Target types</dt>
                  <dd className="font-mono text-xs">{v.target_types.length ? v.target_types.join(", ") : "any"}</dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">Columns</dt>
                  <dd className="font-mono text-xs">{v.display.columns?.join(", ") || "none"}</dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">Description</dt>
                  <dd>{v.display.description ?? "—"}</dd>
                </div>
              </dl>
              <div className="grid gap-4 lg:grid-cols-3">
                <div>
                  <h3 className="mb-1 text-xs font-medium text-zinc-500">Event metadata</h3>
                  <Json value={v.metadata_schema} />
                </div>
                <div>
                  <h3 className="mb-1 text-xs font-medium text-zinc-500">Actor metadata</h3>
                  <Json value={v.actor_schema} />
                </div>
                <div>
                  <h3 className="mb-1 text-xs font-medium text-zinc-500">Target metadata</h3>
                  <Json value={v.target_schema} />
                </div>
              </div>
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
