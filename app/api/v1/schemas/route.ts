import { readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { createSchemaAction, listSchemas } from "@/lib/schemas/schema-api";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = apiRoute({}, ({ principal }) => listSchemas(principal));

export const POST = apiRoute({}, async ({ request, principal }) => {
  const { value } = await readJsonBody(request);
  return Response.json(await createSchemaAction(principal, value), { status: 201 });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
