import { orgRoute } from "@/lib/api/handler";
import { parseBody, readJsonBody } from "@/lib/api/body";
import { createExportInput, listExportsInput } from "@/lib/events/export/input";
import { createExport, recentExports } from "@/lib/events/export/jobs";
import { otherMethods } from "@/lib/api/other-methods";

export const POST = orgRoute({ permission: "events.export" }, async ({ scope, request }) => {
  const body = parseBody(createExportInput, (await readJsonBody(request)).value);
  return Response.json(await createExport(scope, body, body.format), { status: 202 });
});

export const GET = orgRoute({ permission: "events.export", query: listExportsInput }, async ({ scope, query }) => ({ data: await recentExports(scope, query.limit) }));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
