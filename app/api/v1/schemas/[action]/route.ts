import { apiRoute } from "@/lib/api/handler";
import { listVersions } from "@/lib/schemas/schema-api";
import { otherMethods } from "@/lib/api/other-methods";

export const GET = apiRoute({}, ({ principal, params }) => listVersions(principal, params.action ?? ""));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
