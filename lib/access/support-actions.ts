"use server";

import { redirect } from "next/navigation";
import { isCallerError } from "@/lib/errors";
import { sessionUser } from "@/lib/auth/principal";
import { requestContext } from "@/lib/auth/request-context";
import { findOrganization } from "./scope";
import { endSupportAccess, openSupportAccess } from "./support";

export type SupportFormState = { error: string | null; reason: string; minutes: number };

/** Who is asking is read from the session here, on the server: the form's fields only name the organization. */
async function staffAndOrganization(orgRef: string) {
  const user = await sessionUser();
  if (!user) redirect("/login");
  const organization = await findOrganization(orgRef);
  if (user.platformRole !== "vendor_support" || !organization || organization.kind !== "customer") {
    return { user, organization: null };
  }
  return { user, organization };
}

export async function openSupportAccessAction(_previous: SupportFormState, form: FormData): Promise<SupportFormState> {
  const reason = String(form.get("reason") ?? "");
  const minutes = Number(form.get("minutes"));
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (!organization) return { error: "Support access is not available for this organization.", reason, minutes };
  try {
    await openSupportAccess(user, organization, reason, await requestContext(), minutes);
  } catch (error) {
    if (isCallerError(error)) return { error: error.message, reason, minutes };
    throw error;
  }
  redirect(`/orgs/${organization.slug}/audit-logs`);
}

/** "End access now" on the support page: back to the page, ready for the next request. */
export async function endSupportAccessAction(form: FormData): Promise<void> {
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (!organization) return;
  await endSupportAccess(user, organization.id);
  redirect(`/orgs/${organization.slug}/support`);
}

/** "End access" in the banner over a customer's pages and in the Organizations table: back to the organizations list. */
export async function endSupportAccessToOrganizationsAction(form: FormData): Promise<void> {
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (organization) await endSupportAccess(user, organization.id);
  redirect("/admin/organizations");
}
