import { orgRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";
import { requestContextOf } from "@/lib/auth/request-context";
import { sendTestEvent } from "@/lib/streams/stream-test-event";

export const POST = orgRoute({ permission: "streams.manage" }, async ({ scope, params, request }) => sendTestEvent(scope, requestContextOf(request.headers), params.id ?? ""));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
