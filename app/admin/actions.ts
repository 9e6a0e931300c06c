"use server";

import { revalidatePath } from "next/cache";
import { createOrganization, inviteFirstOwner, renameOrganization } from "@/lib/admin/organizations";
import { setOrganizationSso } from "@/lib/admin/organization-sso";
import { asVendorAdmin } from "@/lib/admin/server-action";
import { createVendorKey, revokeVendorKey } from "@/lib/admin/vendor-keys";
import { checkDefinition, createActionInput, parseSchemaVersion } from "@/lib/schemas/definition";
import { previewDraft } from "@/lib/schemas/draft-preview";
import { setRequireSchema } from "@/lib/schemas/require-schema";
import { createAction, createVersion } from "@/lib/schemas/schema-store";
import { AppError, zodIssues } from "@/lib/errors";

/** The console's server actions: each checks the vendor admin's permission on the server (lib/admin/server-action.ts). */

export async function createOrganizationAction(input: { slug: string; name: string }) {
  const result = await asVendorAdmin("orgs.manage", (actor) => createOrganization(actor, input));
  revalidatePath("/admin/organizations");
  return result;
}

export async function renameOrganizationAction(organizationId: string, input: { name: string }) {
  const result = await asVendorAdmin("orgs.manage", (actor) => renameOrganization(actor, organizationId, input));
  revalidatePath("/admin/organizations");
  return result;
}

export async function inviteOwnerAction(organizationId: string, input: { email: string }) {
  const result = await asVendorAdmin("orgs.manage", (actor) => inviteFirstOwner(actor, organizationId, input));
  revalidatePath("/admin/organizations");
  return result;
}

export async function setOrganizationSsoAction(organizationId: string, input: { domains: string[]; defaultRole: string }) {
  const result = await asVendorAdmin("orgs.manage", (actor) => setOrganizationSso(actor, organizationId, input));
  revalidatePath("/admin/organizations");
  return result;
}

export async function createVendorKeyAction(input: { name: string; scopes: string[] }) {
  const result = await asVendorAdmin("orgs.manage", (actor) => createVendorKey(actor, input));
  revalidatePath("/admin/api-keys");
  return result;
}

export async function revokeVendorKeyAction(keyId: string) {
  const result = await asVendorAdmin("orgs.manage", (actor) => revokeVendorKey(actor, keyId));
  revalidatePath("/admin/api-keys");
  return result;
}

export async function setRequireSchemaAction(required: boolean) {
  const result = await asVendorAdmin("schemas.manage", (actor) => setRequireSchema(actor, required === true));
  revalidatePath("/admin/schemas");
  return result;
}

function parseNewAction(input: unknown) {
  const parsed = createActionInput.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The schema is not valid", zodIssues(parsed.error));
  const { action, ...version } = parsed.data;
  return { action, definition: checkDefinition(version) };
}

export async function createSchemaAction(input: unknown) {
  const result = await asVendorAdmin("schemas.manage", (actor) => {
    const { action, definition } = parseNewAction(input);
    return createAction(actor, action, definition);
  });
  revalidatePath("/admin/schemas");
  return result;
}

export async function createSchemaVersionAction(action: string, input: unknown) {
  const result = await asVendorAdmin("schemas.manage", (actor) => createVersion(actor, action, parseSchemaVersion(input)));
  revalidatePath("/admin/schemas");
  return result;
}

/** Which recent events of the action the draft would refuse; saves nothing. */
export async function previewSchemaAction(action: string, input: unknown) {
  return asVendorAdmin("schemas.manage", (actor) => previewDraft(actor.principal, action, parseSchemaVersion(input)));
}
