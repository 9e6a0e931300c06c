import { orgRoute } from "@/lib/api/handler";
import { verifyChain, verifyQuery } from "@/lib/events/verify";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.read.all", query: verifyQuery }, async ({ scope, query }) => verifyChain(scope, query.expect_head));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
