import { orgRoute } from "@/lib/api/handler";
import { downloadExport } from "@/lib/events/export/download";
import { downloadLinkInput } from "@/lib/events/export/input";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.export", query: downloadLinkInput }, async ({ scope, params, query, request }) => downloadExport(scope, params.id ?? "", query, request));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
