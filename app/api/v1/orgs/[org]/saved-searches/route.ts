import { orgRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/body";
import { otherMethods } from "@/lib/api/other-methods";
import { createSavedSearch, listSavedSearches, savedSearchUser } from "@/lib/saved-searches/saved-searches";

// Anyone who reads the organization's log (all of it or only their own events) has saved searches.
export const GET = orgRoute({ permission: "events.read" }, async ({ scope }) => ({ data: await listSavedSearches(scope) }));

export const POST = orgRoute({ permission: "events.read" }, async ({ scope, request }) => {
  // An API key is refused before its body is read.
  savedSearchUser(scope);
  const created = await createSavedSearch(scope, (await readJsonBody(request)).value);
  return Response.json({ data: created }, { status: 201 });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
