import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { createWorkosExport } from "@/lib/workos/exports";
import { workosRoute } from "@/lib/workos/route";

export const POST = workosRoute(async ({ request, key }) => Response.json(await createWorkosExport(key, (await readJsonBody(request)).value), { status: 201 }));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
