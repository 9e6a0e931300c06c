"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { vendorAction } from "@/lib/access/vendor-permissions";
import { updatePortalSettings } from "@/lib/portal/settings";

/** The values are checked by updatePortalSettings (lib/portal/settings.ts), which names the field at fault. */
export async function updatePortalSettingsAction(input: unknown) {
  const result = await vendorAction("orgs.manage", z.unknown(), input, (actor, data, context) => updatePortalSettings(actor, data, context));
  revalidatePath("/admin/portal");
  return result;
}
