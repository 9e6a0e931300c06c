import { orgRoute } from "@/lib/api/handler";
import { exportDownloadInput } from "@/lib/events/export/input";
import { withChainHeaders } from "@/lib/events/chain-state";
import { streamExport } from "@/lib/events/export/stream";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.export", query: exportDownloadInput }, async ({ scope, query, request }) =>
  withChainHeaders(scope.organization.id, () => streamExport(scope, query, "csv", request)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
