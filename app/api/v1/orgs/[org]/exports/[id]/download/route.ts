import { orgRoute } from "@/lib/api/handler";
import { downloadExport } from "@/lib/events/export/download";
import { downloadLinkInput } from "@/lib/events/export/input";

export const GET = orgRoute({ permission: "events.export", query: downloadLinkInput }, async ({ scope, params, query, request }) => downloadExport(scope, params.id ?? "", query, request));
