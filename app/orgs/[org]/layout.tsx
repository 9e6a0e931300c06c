import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { organizationsOfUser } from "@/lib/access/organizations";
import { canOpenSettings } from "@/lib/access/settings-sections";
import { requireOrgScope } from "@/lib/auth/page-session";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireOrgScope(org);
  const user = scope.principal.kind === "user" ? scope.principal : null;
  const organizations = user ? await organizationsOfUser(user.userId) : [];
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader
        current={{ slug: scope.organization.slug, name: scope.organization.name }}
        organizations={organizations.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))}
        user={{ name: user?.name ?? "", email: user?.email ?? "", role: scope.role ?? user?.platformRole ?? null }}
        showSettings={canOpenSettings(scope)}
      />
      <div className="flex-1">{children}</div>
    </div>
  );
}
