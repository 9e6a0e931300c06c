import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { requestContextOf } from "@/lib/auth/request-context";
import { revokeWorkosPortalLinks } from "@/lib/workos/portal";
import { workosRoute } from "@/lib/workos/route";

export const POST = workosRoute(async ({ request, key }) => revokeWorkosPortalLinks(key, (await readJsonBody(request)).value, requestContextOf(request.headers)));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
