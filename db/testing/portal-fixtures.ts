import { sql } from "@/db/client";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { createKey } from "@/db/testing/fixtures";
import { createVendorAdmin } from "@/db/testing/vendor-fixtures";
import { TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import type { ApiKeyScope } from "@/lib/auth/api-key-secret";
import { updatePortalSettings, type PortalSettings, DEFAULT_PORTAL_SETTINGS } from "@/lib/portal/settings";

/** Sets the vendor-wide portal settings for a test, as a vendor admin would in the console. */
export async function setPortalSettings(settings: Partial<PortalSettings>): Promise<void> {
  const actor = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
  await updatePortalSettings(actor, { ...DEFAULT_PORTAL_SETTINGS, ...settings }, TEST_CONTEXT);
}

/** A vendor-wide key with portal:write (or the given scopes). */
export const createPortalKey = (scopes: ApiKeyScope[] = ["portal:write"]) => createKey(null, scopes);

/** The token of a link made by createPortalLink. */
export const tokenOf = (link: string): string => new URL(link).pathname.split("/").pop()!;

export async function portalLinkCount(): Promise<number> {
  const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from portal_links`;
  return Number(n);
}
