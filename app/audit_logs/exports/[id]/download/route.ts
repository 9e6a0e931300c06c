import { otherMethods } from "@/lib/api/other-methods";
import { downloadInput, downloadWorkosExport } from "@/lib/workos/exports";
import { parseSearchParams, workosPublicRoute } from "@/lib/workos/route";

/** The export's pre-signed URL: no credentials, as WorkOS's; the signature stands for the key that asked for it. */
export const GET = workosPublicRoute(({ request, params }) => downloadWorkosExport(params.id ?? "", parseSearchParams(downloadInput, request), request));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
