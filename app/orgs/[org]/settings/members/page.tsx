import type { Metadata } from "next";
import { InviteDialog } from "@/components/settings/invite-dialog";
import { MembersTable } from "@/components/settings/members-table";
import { PendingInvites } from "@/components/settings/pending-invites";
import { Card } from "@/components/settings/ui";
import { listPendingInvites } from "@/lib/members/invites";
import { listMembers } from "@/lib/members/members";
import { requireSettingsSection } from "@/lib/access/settings-sections";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireSettingsSection(org, "members");
  const [members, invites] = await Promise.all([listMembers(scope), listPendingInvites(scope)]);
  const slug = scope.organization.slug;
  const isOwner = scope.role === "owner";
  return (
    <div className="space-y-6">
      <Card
        title="Members"
        description={
          <>
            {members.length} {members.length === 1 ? "person" : "people"} in {scope.organization.name}. The external id is the person&apos;s user id in your product: events naming it are theirs.
          </>
        }
        actions={<InviteDialog org={slug} canInviteOwner={isOwner} />}
      >
        <MembersTable
          org={slug}
          isOwner={isOwner}
          currentUserId={scope.principal.kind === "user" ? scope.principal.userId : ""}
          members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
        />
      </Card>
      <PendingInvites org={slug} invites={invites.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() }))} />
    </div>
  );
}
