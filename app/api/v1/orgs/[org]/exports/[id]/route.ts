import { orgRoute } from "@/lib/api/handler";
import { exportStatus, findExport } from "@/lib/events/export/jobs";

export const GET = orgRoute({ permission: "events.export" }, async ({ scope, params }) => exportStatus(scope, await findExport(scope, params.id ?? "")));
