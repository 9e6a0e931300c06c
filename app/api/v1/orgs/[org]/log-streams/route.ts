import { orgRoute } from "@/lib/api/handler";
import { parseBody, readJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { createStreamSchema } from "@/lib/streams/stream-input";
import { createStream, listStreams } from "@/lib/streams/stream-store";

export const GET = orgRoute({ permission: "streams.read" }, async ({ scope }) => ({ data: await listStreams(scope) }));

export const POST = orgRoute({ permission: "streams.manage" }, async ({ scope, request }) => {
  const input = parseBody(createStreamSchema, (await readJsonBody(request)).value);
  const { stream, secret } = await createStream(scope, requestContextOf(request.headers), input);
  return Response.json({ ...stream, ...(secret ? { secret } : {}) }, { status: 201 });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
