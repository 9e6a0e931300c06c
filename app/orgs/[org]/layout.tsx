import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { FailingStreamsBanner } from "@/components/streams/failing-streams-banner";
import { SupportBanner } from "@/components/support/support-banner";
import { orgSwitcherFor } from "@/lib/access/org-switcher";
import { can } from "@/lib/access/permissions";
import { canOpenSettings } from "@/lib/access/settings-sections";
import { activeSupportGrant } from "@/lib/access/support";
import { requireOrgScope } from "@/lib/access/page-session";
import { failingStreams } from "@/lib/streams/delivery";
import { portalHeaderOf } from "@/lib/portal/header";

/** The viewer fills the window below the header (3.5rem); each banner (2.75rem) takes its share. */
const BELOW_BANNERS = [
  "",
  "[&>main]:min-h-[calc(100dvh-6.25rem)] lg:[&>main]:h-[calc(100dvh-6.25rem)]",
  "[&>main]:min-h-[calc(100dvh-9rem)] lg:[&>main]:h-[calc(100dvh-9rem)]",
] as const;

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const scope = await requireOrgScope(org);
  const user = scope.principal.kind === "user" ? scope.principal : null;
  // A support engineer who is not a member reads this customer's log only under a grant: say so on every page.
  const engineer = scope.role === null && scope.organization.kind === "customer" && can(scope, "support.access") ? user : null;
  const [switcher, grant, failing, portal] = await Promise.all([
    // A portal session reaches this organization only: no switcher.
    user && !user.portal ? orgSwitcherFor(user) : { memberOf: [], vendorLog: null, console: null, support: [] },
    engineer ? activeSupportGrant(engineer.userId, scope.organization.id) : null,
    // Those who can fix a stream are told on every page when one has failed for a day.
    can(scope, "streams.manage") ? failingStreams(scope.organization.id) : [],
    user ? portalHeaderOf(user) : null,
  ]);
  const banners = (grant ? 1 : 0) + (failing.length ? 1 : 0);
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader
        current={{ slug: scope.organization.slug, name: scope.organization.name }}
        switcher={switcher}
        user={{ name: user?.name ?? "", email: user?.email ?? "", role: scope.role ?? user?.platformRole ?? null }}
        showSettings={canOpenSettings(scope)}
        portal={portal}
      />
      {grant ? (
        <SupportBanner org={scope.organization.slug} orgName={scope.organization.name} reason={grant.reason} expiresAt={grant.expiresAt.toISOString()} />
      ) : null}
      <FailingStreamsBanner
        org={scope.organization.slug}
        streams={failing.map((stream) => ({ id: stream.id, name: stream.name, failing_since: stream.failing_since.toISOString() }))}
      />
      <div className={`flex-1 ${BELOW_BANNERS[banners]}`}>{children}</div>
    </div>
  );
}
