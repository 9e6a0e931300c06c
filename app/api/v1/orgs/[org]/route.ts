import { organizationForVendor, organizationPatchInput, setOrganizationAlias } from "@/lib/admin/organization-alias";
import { parseBody, readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = apiRoute({}, async ({ principal, params }) => ({ data: (await organizationForVendor(principal, params.org ?? "")).organization }));

export const PATCH = apiRoute({}, async ({ request, principal, params }) => {
  // The caller and the organization first, so a stranger gets 404 whatever the body says.
  const { actor, organization } = await organizationForVendor(principal, params.org ?? "");
  const { alias } = parseBody(organizationPatchInput, (await readJsonBody(request)).value);
  return { data: (await setOrganizationAlias(actor, organization.id, alias)).organization };
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
