import type { Metadata } from "next";
import { RetentionForm } from "@/components/settings/retention-form";
import { Card } from "@/components/settings/ui";
import { requireSettingsSection } from "@/lib/access/settings-sections";
import { retentionSettings } from "@/lib/events/retention";

export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireSettingsSection(org, "retention");
  const settings = await retentionSettings(scope);
  return (
    <div className="space-y-6">
      <Card title="Event retention" description="Events are deleted once they are older than this. The purge runs daily, a batch at a time.">
        <RetentionForm org={scope.organization.slug} days={settings.days} bounds={settings.bounds} />
      </Card>
      <Card title="Tamper evidence after purges" description="Deleting old events does not break the hash chain.">
        <dl className="grid gap-4 px-5 py-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Events deleted by retention so far</dt>
            <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid="purged-count">
              {settings.purgedThroughSeq.toLocaleString("en-US")}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Chain verified from</dt>
            <dd className="mt-1 text-sm">
              {settings.purgedThroughSeq === 0 ? "the first event (nothing purged yet)" : <>a checkpoint after seq <span className="font-mono">{settings.purgedThroughSeq}</span>: the hash of the last deleted event</>}
            </dd>
          </div>
        </dl>
        <p className="border-t border-zinc-200 px-5 py-3 text-xs text-zinc-500 dark:border-zinc-800">
          Each purge and each change here is itself recorded in the audit log as <code className="font-mono">orgtrail.retention.purged</code> and <code className="font-mono">orgtrail.retention.changed</code>.
        </p>
      </Card>
    </div>
  );
}
