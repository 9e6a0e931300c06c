import { orgRoute } from "@/lib/api/handler";
import { parseBody, readJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { replayStreamSchema } from "@/lib/streams/stream-input";
import { replayStream } from "@/lib/streams/stream-controls";

export const POST = orgRoute({ permission: "streams.replay" }, async ({ scope, params, request }) => {
  const input = parseBody(replayStreamSchema, (await readJsonBody(request)).value);
  return replayStream(scope, requestContextOf(request.headers), params.id ?? "", input);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
