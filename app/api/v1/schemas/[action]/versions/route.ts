import { readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { createSchemaVersion, listVersions } from "@/lib/schemas/schema-api";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = apiRoute({}, ({ principal, params }) => listVersions(principal, params.action ?? ""));

export const POST = apiRoute({}, async ({ request, principal, params }) => {
  const { value } = await readJsonBody(request);
  return Response.json(await createSchemaVersion(principal, params.action ?? "", value), { status: 201 });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
