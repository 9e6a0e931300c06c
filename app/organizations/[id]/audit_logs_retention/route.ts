import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { requestContextOf } from "@/lib/auth/request-context";
import { getWorkosRetention, setWorkosRetention } from "@/lib/workos/retention";
import { workosRoute } from "@/lib/workos/route";

export const GET = workosRoute(({ key, params }) => getWorkosRetention(key, params.id ?? ""));

export const PUT = workosRoute(async ({ request, key, params }) =>
  setWorkosRetention(key, params.id ?? "", (await readJsonBody(request)).value, requestContextOf(request.headers)),
);

export const { POST, PATCH, DELETE } = otherMethods("GET", "PUT");
