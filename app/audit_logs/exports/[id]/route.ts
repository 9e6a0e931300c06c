import { otherMethods } from "@/lib/api/other-methods";
import { getWorkosExport } from "@/lib/workos/exports";
import { workosRoute } from "@/lib/workos/route";

export const GET = workosRoute(({ key, params }) => getWorkosExport(key, params.id ?? ""));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
