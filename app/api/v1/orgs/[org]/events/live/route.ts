import { orgRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";
import { liveAfterSeq, liveInput } from "@/lib/events/search-input";
import { checkLiveQuery } from "@/lib/events/live/live-feed";
import { liveEventsResponse } from "@/lib/events/live/sse-response";

export const GET = orgRoute({ permission: "events.read", query: liveInput }, async ({ scope, query, request }) => {
  const q = query.q ?? "";
  checkLiveQuery(scope, q);
  return liveEventsResponse(scope, { q, afterSeq: liveAfterSeq(request, query.after_seq), since: query.since ?? null, from: query.from ?? null }, request.signal);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
