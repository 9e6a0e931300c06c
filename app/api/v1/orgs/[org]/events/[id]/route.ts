import { orgRoute } from "@/lib/api/handler";
import { getEvent } from "@/lib/events/search";

export const GET = orgRoute({ permission: "events.read" }, async ({ scope, params }) => ({ data: await getEvent(scope, params.id ?? "") }));
