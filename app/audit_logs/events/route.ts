import { otherMethods } from "@/lib/api/other-methods";
import { readJsonBody } from "@/lib/api/body";
import { enforceIngestRate } from "@/lib/api/ingest-rate";
import { createWorkosEvent } from "@/lib/workos/events";
import { workosRoute } from "@/lib/workos/route";

export const POST = workosRoute(async ({ request, key }) => {
  enforceIngestRate(key);
  const { value } = await readJsonBody(request);
  return Response.json(await createWorkosEvent(key, value, request.headers.get("idempotency-key")), { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
