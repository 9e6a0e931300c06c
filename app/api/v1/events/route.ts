import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/body";
import { enforceIngestRate } from "@/lib/api/ingest-rate";
import { ingest } from "@/lib/events/ingest";
import { otherMethods } from "@/lib/api/other-methods";

export const POST = apiRoute({}, async ({ request, principal }) => {
  enforceIngestRate(principal);
  const { value } = await readJsonBody(request);
  const result = await ingest(principal, value, request.headers.get("idempotency-key"));
  return Response.json(result.body, { status: result.status });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
