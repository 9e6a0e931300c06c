import "server-only";
import { sql } from "@/db/client";
import type { UserPrincipal } from "@/lib/auth/principal";
import { readPortalSettings } from "./settings";

/** What the header of a portal session shows: the vendor's branding, and the way back to the vendor's app. */
export type PortalHeader = { vendorName: string; logoUrl: string | null; accentColor: string | null; returnUrl: string | null };

/** The header of a portal session; null for any other session. */
export async function portalHeaderOf(user: UserPrincipal): Promise<PortalHeader | null> {
  if (!user.portal) return null;
  const { organizationId, linkId } = user.portal;
  const [settings, [link], [vendor]] = await Promise.all([
    readPortalSettings(),
    linkId ? sql()<{ return_url: string | null }[]>`select return_url from portal_links where organization_id = ${organizationId} and id = ${linkId}` : [],
    sql()<{ name: string }[]>`select name from organizations where kind = 'vendor'`,
  ]);
  return {
    vendorName: settings.vendorName || vendor?.name || "the app",
    logoUrl: settings.logoUrl || null,
    accentColor: settings.accentColor || null,
    returnUrl: link?.return_url ?? null,
  };
}
