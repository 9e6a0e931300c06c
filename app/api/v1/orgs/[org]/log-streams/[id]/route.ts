import { orgRoute } from "@/lib/api/handler";
import { parseBody, readJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { updateStreamSchema } from "@/lib/streams/stream-input";
import { deleteStream, getStream, updateStream } from "@/lib/streams/stream-store";

export const GET = orgRoute({ permission: "streams.read" }, async ({ scope, params }) => getStream(scope, params.id ?? ""));

export const PATCH = orgRoute({ permission: "streams.manage" }, async ({ scope, params, request }) => {
  const input = parseBody(updateStreamSchema, (await readJsonBody(request)).value);
  const { stream, secret } = await updateStream(scope, requestContextOf(request.headers), params.id ?? "", input);
  return { ...stream, ...(secret ? { secret } : {}) };
});

export const DELETE = orgRoute({ permission: "streams.manage" }, async ({ scope, params, request }) => {
  await deleteStream(scope, requestContextOf(request.headers), params.id ?? "");
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
