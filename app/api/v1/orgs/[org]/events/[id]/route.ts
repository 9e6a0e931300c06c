import { orgRoute } from "@/lib/api/handler";
import { getEvent } from "@/lib/events/search";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.read" }, async ({ scope, params }) => ({ data: await getEvent(scope, params.id ?? "") }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
