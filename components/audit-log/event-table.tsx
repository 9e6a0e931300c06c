"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import type { SearchPage } from "@/lib/events/search";
import type { AuditEvent } from "@/lib/events/types";
import { entityLabel, formatTime } from "./format";

const features = tableFeatures({});
const column = createColumnHelper<typeof features, AuditEvent>();

const columns = column.columns([
  column.accessor("occurred_at", {
    header: "Time",
    cell: (info) => (
      <time dateTime={info.getValue()} title={info.getValue()} className="whitespace-nowrap tabular-nums text-zinc-600 dark:text-zinc-400">
        {formatTime(info.getValue())}
      </time>
    ),
  }),
  column.accessor("action", {
    header: "Action",
    cell: (info) => <span className="font-mono text-[13px] font-medium">{info.getValue()}</span>,
  }),
  column.accessor("actor", {
    header: "Actor",
    cell: (info) => {
      const actor = info.getValue();
      return (
        <span className="flex flex-col">
          <span className="truncate">{entityLabel(actor)}</span>
          <span className="truncate font-mono text-xs text-zinc-500">{actor.id}</span>
        </span>
      );
    },
  }),
  column.accessor("targets", {
    header: "Targets",
    cell: (info) => (
      <span className="flex flex-wrap gap-1">
        {info.getValue().map((t, i) => (
          <span key={i} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" title={`${t.type}:${t.id}`}>
            <span className="text-zinc-500">{t.type}</span> {t.name ?? t.id}
          </span>
        ))}
      </span>
    ),
  }),
  column.accessor((e) => e.context.location ?? "", {
    id: "ip",
    header: "IP",
    cell: (info) => <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{info.getValue() || "—"}</span>,
  }),
]);

async function fetchPage(org: string, q: string, cursor: string | null): Promise<SearchPage> {
  const params = new URLSearchParams({ limit: "100" });
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  const response = await fetch(`/api/v1/orgs/${encodeURIComponent(org)}/events?${params}`, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error((await response.json().catch(() => null))?.error?.message ?? `HTTP ${response.status}`);
  return response.json();
}

export function EventTable({ org, q, initialPage }: { org: string; q: string; initialPage: SearchPage | null }) {
  const router = useRouter();
  const query = useInfiniteQuery({
    queryKey: ["events", org, q],
    queryFn: ({ pageParam }) => fetchPage(org, q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    initialData: initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    enabled: initialPage !== null,
  });
  const pages = query.data?.pages;
  const data = useMemo(() => pages?.flatMap((p) => p.data) ?? EMPTY, [pages]);
  const table = useTable({ features, columns, data, getRowId: (row) => row.id });

  if (!initialPage) return null;
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="events-table">
          <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:bg-zinc-900 dark:text-zinc-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="px-3 py-2.5 font-medium">
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                data-testid="event-row"
                tabIndex={0}
                onClick={() => router.push(`/orgs/${org}/audit-logs/${row.original.id}`)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") router.push(`/orgs/${org}/audit-logs/${row.original.id}`);
                }}
                className="cursor-pointer hover:bg-zinc-50 focus:bg-indigo-50 dark:hover:bg-zinc-900 dark:focus:bg-indigo-950/40"
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="max-w-xs px-3 py-2 align-top">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.length === 0 ? (
        <div className="px-4 py-16 text-center text-sm text-zinc-500" data-testid="empty-state">
          No events match this search. <Link href="?" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Clear filters</Link>
        </div>
      ) : null}
      <div className="flex items-center justify-between border-t border-zinc-200 bg-zinc-50 px-3 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
        <span>{data.length.toLocaleString()} events loaded</span>
        {query.hasNextPage ? (
          <button
            type="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
            className="rounded-md border border-zinc-300 bg-white px-3 py-1 font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        ) : (
          <span>End of log</span>
        )}
      </div>
      {query.error ? <p className="px-3 py-2 text-sm text-red-600">{query.error.message}</p> : null}
    </div>
  );
}

const EMPTY: AuditEvent[] = [];
