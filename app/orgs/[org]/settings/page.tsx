import { notFound, redirect } from "next/navigation";
import { allowedSections } from "@/lib/access/settings-sections";
import { requireOrgScope } from "@/lib/access/page-session";

export default async function SettingsIndex({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireOrgScope(org);
  const [first] = allowedSections(scope);
  if (!first) notFound();
  redirect(`/orgs/${scope.organization.slug}/settings/${first.slug}`);
}
