import { orgRoute } from "@/lib/api/handler";
import { eventFilterInput } from "@/lib/api/search-input";
import { streamExport } from "@/lib/events/export/stream";

export const GET = orgRoute({ permission: "events.export", query: eventFilterInput }, async ({ scope, query, request }) => streamExport(scope, query, "ndjson", request));
