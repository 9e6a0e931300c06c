import type { ActionResult } from "@/lib/access/action-result";
import type { ErrorIssue } from "@/lib/errors";
import type { CreateSavedSearchInput, UpdateSavedSearchInput } from "@/lib/saved-searches/saved-search-input";
import type { SavedSearch } from "@/lib/saved-searches/saved-searches";
import { getJson } from "./api";

/*
 * The viewer's calls to the saved-searches API, with the session cookie. A
 * refusal comes back as the dialogs show it: the server's message and the
 * fields it names.
 */

const base = (org: string) => `/api/v1/orgs/${encodeURIComponent(org)}/saved-searches`;

async function call<T>(url: string, init: RequestInit = {}): Promise<ActionResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) } });
  } catch {
    return { ok: false, error: { message: "Orgtrail could not be reached. Check your connection and try again." } };
  }
  if (response.status === 204) return { ok: true, data: null as T };
  const body = (await response.json().catch(() => null)) as { data?: T; error?: { message?: string; issues?: ErrorIssue[] } } | null;
  if (!response.ok || !body || body.data === undefined) {
    return { ok: false, error: { message: body?.error?.message ?? `The server answered ${response.status}`, issues: body?.error?.issues } };
  }
  return { ok: true, data: body.data };
}

export async function fetchSavedSearches(org: string): Promise<SavedSearch[]> {
  return (await getJson<{ data: SavedSearch[] }>(base(org))).data;
}

export const createSavedSearch = (org: string, input: CreateSavedSearchInput) => call<SavedSearch>(base(org), { method: "POST", body: JSON.stringify(input) });

export const updateSavedSearch = (org: string, id: string, change: UpdateSavedSearchInput) =>
  call<SavedSearch>(`${base(org)}/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(change) });

export const deleteSavedSearch = (org: string, id: string) => call<null>(`${base(org)}/${encodeURIComponent(id)}`, { method: "DELETE" });
