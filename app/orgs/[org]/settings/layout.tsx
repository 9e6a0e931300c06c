import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { SettingsNav } from "@/components/settings/settings-nav";
import { allowedSections } from "@/lib/access/settings-sections";
import { requireOrgScope } from "@/lib/access/page-session";

export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireOrgScope(org);
  const sections = allowedSections(scope);
  if (sections.length === 0) notFound();
  return (
    <main className="mx-auto max-w-6xl px-4 py-8">
      <div className="mb-6">
        <h1 className="text-xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Manage who can reach {scope.organization.name}&apos;s audit log, how long it is kept and where it is sent.</p>
      </div>
      <div className="flex flex-col gap-8 md:flex-row">
        <SettingsNav org={scope.organization.slug} sections={sections.map(({ slug, label, description }) => ({ slug, label, description }))} />
        <div className="min-w-0 flex-1">{children}</div>
      </div>
    </main>
  );
}
