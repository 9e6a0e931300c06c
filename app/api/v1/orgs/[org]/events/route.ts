import { orgRoute } from "@/lib/api/handler";
import { searchInput } from "@/lib/events/search-input";
import { eventsAfterSeq, searchEvents } from "@/lib/events/search";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.read", query: searchInput }, async ({ scope, query }) => {
  if (query.after_seq !== undefined) return eventsAfterSeq(scope, query.after_seq, query.limit);
  return searchEvents(scope, query);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
