import type { Metadata } from "next";
import { ApiKeysTable } from "@/components/settings/api-keys-table";
import { CreateKeyDialog } from "@/components/settings/create-key-dialog";
import { Card } from "@/components/settings/ui";
import { requireSettingsSection } from "@/lib/access/settings-sections";
import { ORG_KEY_SCOPES, listOrgKeys } from "@/lib/org-keys/org-api-keys";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireSettingsSection(org, "api-keys");
  const keys = await listOrgKeys(scope);
  return (
    <Card
      title="API keys"
      description={<>Keys bound to {scope.organization.name}: they send and read this organization&apos;s events only. Send one as <code className="rounded bg-zinc-100 px-1 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">Authorization: Bearer …</code>.</>}
      actions={<CreateKeyDialog org={scope.organization.slug} scopes={[...ORG_KEY_SCOPES]} />}
    >
      <ApiKeysTable
        org={scope.organization.slug}
        keys={keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null }))}
      />
    </Card>
  );
}
