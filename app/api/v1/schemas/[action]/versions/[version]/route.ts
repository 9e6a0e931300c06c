import { apiRoute } from "@/lib/api/handler";
import { getVersion } from "@/lib/schemas/schema-api";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = apiRoute({}, ({ principal, params }) => getVersion(principal, params.action ?? "", params.version ?? ""));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
