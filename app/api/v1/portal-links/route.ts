import { parseBody, readJsonBody } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { createPortalLink, portalLinkInput, requirePortalLinkCaller } from "@/lib/portal/links";

export const POST = apiRoute({}, async ({ request, principal }) => {
  const key = requirePortalLinkCaller(principal);
  const { value } = await readJsonBody(request);
  const link = await createPortalLink(key, parseBody(portalLinkInput, value), requestContextOf(request.headers));
  return Response.json(link, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
