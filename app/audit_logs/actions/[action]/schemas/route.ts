import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { listOptions } from "@/lib/workos/list";
import { createWorkosSchema, listWorkosSchemas } from "@/lib/workos/schemas";
import { parseSearchParams, workosRoute } from "@/lib/workos/route";

export const POST = workosRoute(async ({ request, key, params }) => {
  const { status, schema } = await createWorkosSchema(key, params.action ?? "", (await readJsonBody(request)).value);
  return Response.json(schema, { status });
});

export const GET = workosRoute(({ request, key, params }) => listWorkosSchemas(key, params.action ?? "", parseSearchParams(listOptions, request)));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
