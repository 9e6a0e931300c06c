import { noSuchRoute } from "@/lib/api/other-methods";

/** Any /api/v1 path without a route of its own: the JSON 404, for every method. */
export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = noSuchRoute();
