import { orgRoute } from "@/lib/api/handler";
import { eventFilterInput } from "@/lib/events/search-input";
import { actionFacets, estimateTotal } from "@/lib/events/facets";
import { otherMethods } from "@/lib/api/other-methods";

/** The actions to filter by (with counts) and the number of events matching the filter. */
export const GET = orgRoute({ permission: "events.read", query: eventFilterInput }, async ({ scope, query }) => {
  const now = new Date();
  const [actions, total] = await Promise.all([actionFacets(scope, query, now), estimateTotal(scope, query, now)]);
  return { data: { ...actions, total } };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
