import { orgRoute } from "@/lib/api/handler";
import { verifyChain } from "@/lib/events/verify";

export const GET = orgRoute({ permission: "events.read.all" }, async ({ scope }) => verifyChain(scope));
