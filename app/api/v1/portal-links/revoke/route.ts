import { parseBody, readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { requirePortalLinkCaller } from "@/lib/portal/links";
import { revokeLinksInput, revokePortalLinks } from "@/lib/portal/revoke";

export const POST = apiRoute({}, async ({ request, principal }) => {
  const key = requirePortalLinkCaller(principal);
  const { value } = await readJsonBody(request);
  return { data: await revokePortalLinks(key, parseBody(revokeLinksInput, value), requestContextOf(request.headers)) };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
