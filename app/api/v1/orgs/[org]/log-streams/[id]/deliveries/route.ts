import { z } from "zod";
import { orgRoute } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/other-methods";
import { listDeliveries } from "@/lib/streams/stream-controls";
import { DELIVERY_LOG_SIZE } from "@/lib/streams/stream-view";

const query = z.object({ limit: z.coerce.number().int().min(1).max(DELIVERY_LOG_SIZE).default(50) });

export const GET = orgRoute({ permission: "streams.read", query }, async ({ scope, params, query }) => ({ data: await listDeliveries(scope, params.id ?? "", query.limit) }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
