import { orgRoute } from "@/lib/api/handler";
import { exportStatus, findExport } from "@/lib/events/export/jobs";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.export" }, async ({ scope, params }) => exportStatus(scope, await findExport(scope, params.id ?? "")));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
