import type { Metadata } from "next";
import { CreateStreamDialog } from "@/components/streams/create-stream-dialog";
import { StreamsTable } from "@/components/streams/streams-table";
import { Card } from "@/components/settings/ui";
import { can } from "@/lib/access/permissions";
import { requireSettingsSection } from "@/lib/access/settings-sections";
import { listStreams } from "@/lib/streams/stream-store";

export const metadata: Metadata = { title: "Log streams" };

export default async function LogStreamsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireSettingsSection(org, "log-streams");
  const streams = await listStreams(scope);
  const canManage = can(scope, "streams.manage");
  return (
    <Card
      title="Log streams"
      description={
        <>
          Each stream sends {scope.organization.name}&apos;s events to your SIEM as they arrive: at least once, in order, retried until it answers.
          {canManage ? null : " You can see the streams; owners and admins change them."}
        </>
      }
      actions={canManage ? <CreateStreamDialog org={scope.organization.slug} /> : null}
    >
      <StreamsTable org={scope.organization.slug} streams={streams} canManage={canManage} />
    </Card>
  );
}
