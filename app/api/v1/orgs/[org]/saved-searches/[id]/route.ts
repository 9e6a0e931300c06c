import { orgRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { deleteSavedSearch, savedSearchUser, updateSavedSearch } from "@/lib/saved-searches/saved-searches";

export const PATCH = orgRoute({ permission: "events.read" }, async ({ scope, params, request }) => {
  // An API key is refused before its body is read.
  savedSearchUser(scope);
  return { data: await updateSavedSearch(scope, params.id ?? "", (await readJsonBody(request)).value) };
});

export const DELETE = orgRoute({ permission: "events.read" }, async ({ scope, params }) => {
  await deleteSavedSearch(scope, params.id ?? "");
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
