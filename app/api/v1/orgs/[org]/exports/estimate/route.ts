import { orgRoute } from "@/lib/api/handler";
import { eventFilterInput } from "@/lib/events/search-input";
import { estimateExport } from "@/lib/events/export/jobs";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.export", query: eventFilterInput }, async ({ scope, query }) => estimateExport(scope, query));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
