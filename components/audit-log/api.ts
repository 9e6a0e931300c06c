import type { ErrorIssue } from "@/lib/errors";
import type { ActionFacets, Histogram, TopValues, TotalEstimate } from "@/lib/events/facets";
import type { SearchPage } from "@/lib/events/search";
import type { AuditEvent } from "@/lib/events/types";
import type { ViewWindow } from "./view-state";

/*
 * The browser's calls to the search API. The viewer reads the same public
 * endpoints as any API client, with the session cookie.
 */

// The wire types are the server's own, imported as types only: nothing server-side reaches the browser bundle.

/** The facets endpoint's `data`: the actions with counts, and the number of matching events. */
export type Facets = ActionFacets & { total: TotalEstimate };

/** How many events the viewer asks for at a time, on the server's first render and on each scroll. */
export const EVENT_PAGE_SIZE = 200;

/** An error response of the API, kept whole so the search box can point at the bad term. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly issues: ErrorIssue[];
  readonly code: string | null;
  constructor(status: number, message: string, issues: ErrorIssue[] = [], code: string | null = null) {
    super(message);
    this.status = status;
    this.issues = issues;
    this.code = code;
  }

  /** A search the server stopped for taking too long: asking again the same way would only wait again. */
  get timedOut(): boolean {
    return this.code === "query_timeout";
  }
}


export type Filter = { q: string; window: ViewWindow };

function filterParams({ q, window }: Filter): URLSearchParams {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (window.from) params.set("from", window.from);
  if (window.to) params.set("to", window.to);
  return params;
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" }, signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; issues?: ErrorIssue[] } } | null;
    throw new ApiFailure(response.status, body?.error?.message ?? `The server answered ${response.status}`, body?.error?.issues ?? [], body?.error?.code ?? null);
  }
  return (await response.json()) as T;
}

const base = (org: string) => `/api/v1/orgs/${encodeURIComponent(org)}/events`;

export function fetchEvents(org: string, filter: Filter, options: { order: "asc" | "desc"; cursor?: string | null; limit?: number }, signal?: AbortSignal): Promise<SearchPage> {
  const params = filterParams(filter);
  params.set("order", options.order);
  params.set("limit", String(options.limit ?? EVENT_PAGE_SIZE));
  if (options.cursor) params.set("cursor", options.cursor);
  return getJson(`${base(org)}?${params}`, signal);
}

export async function fetchFacets(org: string, filter: Filter, signal?: AbortSignal): Promise<Facets> {
  return (await getJson<{ data: Facets }>(`${base(org)}/facets?${filterParams(filter)}`, signal)).data;
}

/** The most frequent actors, IP addresses and targets: asked for only while the viewer shows them. */
export async function fetchTopValues(org: string, filter: Filter, signal?: AbortSignal): Promise<TopValues> {
  return (await getJson<{ data: TopValues }>(`${base(org)}/top?${filterParams(filter)}`, signal)).data;
}

export async function fetchHistogram(org: string, filter: Filter, signal?: AbortSignal): Promise<Histogram> {
  return (await getJson<{ data: Histogram }>(`${base(org)}/histogram?${filterParams(filter)}`, signal)).data;
}

export async function fetchEvent(org: string, id: string, signal?: AbortSignal): Promise<AuditEvent> {
  return (await getJson<{ data: AuditEvent }>(`${base(org)}/${encodeURIComponent(id)}`, signal)).data;
}

/** The parts of the query the issues point at (`q[start:end]`), in the query's order; ranges that overlap or fall outside it are dropped. */
export function queryIssueRanges(issues: readonly ErrorIssue[], query?: string): { start: number; end: number; message: string }[] {
  const ranges: { start: number; end: number; message: string }[] = [];
  for (const issue of issues) {
    const match = /^q\[(\d+):(\d+)\]$/.exec(issue.path);
    if (!match) continue;
    const range = { start: Number(match[1]), end: Number(match[2]), message: issue.message };
    if (range.end < range.start || (query !== undefined && range.end > query.length)) continue;
    ranges.push(range);
  }
  ranges.sort((a, b) => a.start - b.start);
  return ranges.filter((range, index) => index === 0 || range.start >= ranges[index - 1]!.end);
}
