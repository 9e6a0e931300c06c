import { otherMethods } from "@/lib/api/other-methods";
import { listOptions } from "@/lib/workos/list";
import { listWorkosActions } from "@/lib/workos/schemas";
import { parseSearchParams, workosRoute } from "@/lib/workos/route";

export const GET = workosRoute(({ request, key }) => listWorkosActions(key, parseSearchParams(listOptions, request)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
