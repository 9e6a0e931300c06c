import { orgRoute } from "@/lib/api/handler";
import { eventFilterInput } from "@/lib/events/search-input";
import { histogram } from "@/lib/events/facets";
import { otherMethods } from "@/lib/api/other-methods";

/** Counts of matching events over time, in buckets sized to the range. */
export const GET = orgRoute({ permission: "events.read", query: eventFilterInput }, async ({ scope, query }) => ({ data: await histogram(scope, query) }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
