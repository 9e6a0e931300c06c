import { apiRoute } from "@/lib/api/handler";
import { listVersions } from "@/lib/schemas/schema-api";

export const GET = apiRoute({}, ({ principal, params }) => listVersions(principal, params.action ?? ""));
