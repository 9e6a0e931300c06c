import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/settings/ui";
import { AutoRefresh } from "@/components/streams/auto-refresh";
import { DeliveryLog } from "@/components/streams/delivery-log";
import { EditStreamDialog } from "@/components/streams/edit-stream-dialog";
import type { DestinationDefaults } from "@/components/streams/stream-fields";
import { StreamActions } from "@/components/streams/stream-actions";
import { DESTINATION_LABELS } from "@/components/streams/stream-labels";
import { StreamSummary } from "@/components/streams/stream-summary";
import { can } from "@/lib/access/permissions";
import { requireSettingsSection } from "@/lib/access/settings-sections";
import { AppError } from "@/lib/errors";
import { listDeliveries } from "@/lib/streams/stream-controls";
import { getStream } from "@/lib/streams/stream-store";

export const metadata: Metadata = { title: "Log stream" };

export default async function LogStreamPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const scope = await requireSettingsSection(org, "log-streams");
  const [stream, deliveries] = await Promise.all([getStream(scope, id), listDeliveries(scope, id)]).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const slug = scope.organization.slug;
  const canManage = can(scope, "streams.manage");
  // The edit form starts from the public settings; the hints stay on the server's side of the page.
  const destination = Object.fromEntries(Object.entries(stream.destination).filter(([key]) => key !== "secret_hints")) as DestinationDefaults;
  return (
    <div className="space-y-6">
      <AutoRefresh seconds={10} />
      <Link href={`/orgs/${slug}/settings/log-streams`} className="inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <ArrowLeft className="size-4" aria-hidden /> Log streams
      </Link>
      <Card
        title={stream.name}
        description={`${DESTINATION_LABELS[stream.type]} stream${canManage ? "" : " · read-only: owners and admins change it"}`}
        actions={canManage ? <EditStreamDialog org={slug} streamId={stream.id} current={{ name: stream.name, format: stream.format, filter: stream.filter, destination }} /> : null}
      >
        <StreamSummary stream={stream} />
        {canManage ? (
          <div className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
            <StreamActions
              org={slug}
              canReplay={can(scope, "streams.replay")}
              stream={{ id: stream.id, name: stream.name, paused: stream.state === "paused", failing: stream.failing_since !== null, webhook: stream.type === "webhook" }}
            />
          </div>
        ) : null}
      </Card>
      <Card title="Delivery log" description={`The latest ${deliveries.length === 50 ? "50 " : ""}attempts, newest first. Times are UTC.`}>
        <DeliveryLog deliveries={deliveries} />
      </Card>
    </div>
  );
}
