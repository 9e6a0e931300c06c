import { orgRoute } from "@/lib/api/handler";
import { verifyChain } from "@/lib/events/verify";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = orgRoute({ permission: "events.read.all" }, async ({ scope }) => verifyChain(scope));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
