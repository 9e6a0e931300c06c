"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createOrganization, inviteFirstOwner, renameOrganization } from "@/lib/admin/organizations";
import { setOrganizationSso } from "@/lib/admin/organization-sso";
import { setOrganizationAlias } from "@/lib/admin/organization-alias";
import { vendorAction } from "@/lib/access/vendor-permissions";
import { createVendorKey, revokeVendorKey } from "@/lib/admin/vendor-keys";
import { checkDefinition, createActionInput, parseSchemaVersion } from "@/lib/schemas/definition";
import { previewDraft } from "@/lib/schemas/draft-preview";
import { setRequireSchema } from "@/lib/schemas/require-schema";
import { createAction, createVersion } from "@/lib/schemas/schema-store";

/*
 * The console's server actions: each checks the staff member's permission on
 * the server (vendorAction, lib/access/vendor-permissions.ts). The schemas here check
 * the shape of what was posted; lib/admin validates the values.
 */

const organizationInput = z.object({ slug: z.string(), name: z.string() });
const organizationChange = <S extends z.ZodRawShape>(shape: S) => z.object({ organizationId: z.string(), ...shape });

export async function createOrganizationAction(input: { slug: string; name: string }) {
  const result = await vendorAction("orgs.manage", organizationInput, input, (actor, data) => createOrganization(actor, data));
  revalidatePath("/admin/organizations");
  return result;
}

export async function renameOrganizationAction(organizationId: string, input: { name: string }) {
  const schema = organizationChange({ name: z.string() });
  const result = await vendorAction("orgs.manage", schema, { ...input, organizationId }, (actor, { organizationId, ...data }) => renameOrganization(actor, organizationId, data));
  revalidatePath("/admin/organizations");
  return result;
}

export async function inviteOwnerAction(organizationId: string, input: { email: string }) {
  const schema = organizationChange({ email: z.string() });
  const result = await vendorAction("orgs.manage", schema, { ...input, organizationId }, (actor, { organizationId, ...data }) => inviteFirstOwner(actor, organizationId, data));
  revalidatePath("/admin/organizations");
  return result;
}

export async function setOrganizationSsoAction(organizationId: string, input: { domains: string[]; defaultRole: string }) {
  const schema = organizationChange({ domains: z.array(z.string()), defaultRole: z.string() });
  const result = await vendorAction("orgs.manage", schema, { ...input, organizationId }, (actor, { organizationId, ...data }) => setOrganizationSso(actor, organizationId, data));
  revalidatePath("/admin/organizations");
  return result;
}

/** An empty alias clears it. */
export async function setOrganizationAliasAction(organizationId: string, input: { alias: string }) {
  const schema = organizationChange({ alias: z.string() });
  const result = await vendorAction("orgs.manage", schema, { ...input, organizationId }, (actor, { organizationId, alias }) => setOrganizationAlias(actor, organizationId, alias.trim() || null));
  revalidatePath("/admin/organizations");
  return result;
}

export async function createVendorKeyAction(input: { name: string; scopes: string[] }) {
  const schema = z.object({ name: z.string(), scopes: z.array(z.string()) });
  const result = await vendorAction("orgs.manage", schema, input, (actor, data) => createVendorKey(actor, data));
  revalidatePath("/admin/api-keys");
  return result;
}

export async function revokeVendorKeyAction(keyId: string) {
  const result = await vendorAction("orgs.manage", z.string(), keyId, (actor, id) => revokeVendorKey(actor, id));
  revalidatePath("/admin/api-keys");
  return result;
}

export async function setRequireSchemaAction(required: boolean) {
  const result = await vendorAction("schemas.manage", z.boolean(), required, (actor, value) => setRequireSchema(actor, value));
  revalidatePath("/admin/schemas");
  return result;
}

export async function createSchemaAction(input: unknown) {
  const result = await vendorAction("schemas.manage", createActionInput, input, (actor, { action, ...version }) => createAction(actor, action, checkDefinition(version)));
  revalidatePath("/admin/schemas");
  return result;
}

/** The draft's JSON Schemas are checked by parseSchemaVersion, which names the field at fault. */
export async function createSchemaVersionAction(action: string, input: unknown) {
  const result = await vendorAction("schemas.manage", z.string(), action, (actor, name) => createVersion(actor, name, parseSchemaVersion(input)));
  revalidatePath("/admin/schemas");
  return result;
}

/** Which recent events of the action the draft would refuse; saves nothing. */
export async function previewSchemaAction(action: string, input: unknown) {
  return vendorAction("schemas.manage", z.string(), action, (actor, name) => previewDraft(actor.principal, name, parseSchemaVersion(input)));
}
