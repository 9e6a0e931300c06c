import { apiRoute } from "@/lib/api/handler";
import { getVersion } from "@/lib/schemas/schema-api";

export const GET = apiRoute({}, ({ principal, params }) => getVersion(principal, params.action ?? "", params.version ?? ""));
