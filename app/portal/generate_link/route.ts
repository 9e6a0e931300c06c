import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { requestContextOf } from "@/lib/auth/request-context";
import { generateWorkosPortalLink } from "@/lib/workos/portal";
import { workosRoute } from "@/lib/workos/route";

export const POST = workosRoute(async ({ request, key }) =>
  Response.json(await generateWorkosPortalLink(key, (await readJsonBody(request)).value, requestContextOf(request.headers)), { status: 201 }),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
