import { noWorkosRoute } from "@/lib/workos/route";

export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = noWorkosRoute();
