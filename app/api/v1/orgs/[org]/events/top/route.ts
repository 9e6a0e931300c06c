import { orgRoute } from "@/lib/api/handler";
import { eventFilterInput } from "@/lib/events/search-input";
import { topValues } from "@/lib/events/facets";
import { otherMethods } from "@/lib/api/other-methods";

/** The most frequent actors, IP addresses and targets of the events matching the filter (its own facets, so the default facets call stays light). */
export const GET = orgRoute({ permission: "events.read", query: eventFilterInput }, async ({ scope, query }) => ({ data: await topValues(scope, query) }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
