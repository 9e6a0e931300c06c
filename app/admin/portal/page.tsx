import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/admin/ui";
import { PortalSettingsForm } from "@/components/portal/portal-settings-form";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { PORTAL_MAX_ORIGINS, PORTAL_SESSION_MINUTES, readPortalSettings } from "@/lib/portal/settings";

export const metadata: Metadata = { title: "Portal" };

export default async function PortalSettingsPage() {
  await requireVendorAdmin("orgs.manage");
  const settings = await readPortalSettings();
  return (
    <>
      <PageHeader
        title="Portal"
        description="Your users open their organization's audit log from your app with a one-time portal link (POST /api/v1/portal-links with a portal:write key). Set how portal sessions look, where they may return to and which of your sites may embed them."
      />
      <Card className="max-w-3xl">
        <PortalSettingsForm settings={settings} limits={{ sessionMinutes: PORTAL_SESSION_MINUTES, maxOrigins: PORTAL_MAX_ORIGINS }} />
      </Card>
    </>
  );
}
