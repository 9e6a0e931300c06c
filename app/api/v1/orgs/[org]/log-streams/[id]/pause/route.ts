import { orgRoute } from "@/lib/api/handler";
import { parseBody, readOptionalJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { pauseStreamSchema } from "@/lib/streams/stream-input";
import { pauseStream } from "@/lib/streams/stream-controls";

export const POST = orgRoute({ permission: "streams.manage" }, async ({ scope, params, request }) => {
  const input = parseBody(pauseStreamSchema, await readOptionalJsonBody(request));
  return pauseStream(scope, requestContextOf(request.headers), params.id ?? "", input);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
