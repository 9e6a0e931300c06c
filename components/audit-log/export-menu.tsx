"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, ChevronDown, Download, FileJson, FileSpreadsheet, Loader2, X, XCircle } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { ErrorIssue } from "@/lib/errors";
import type { estimateExport, ExportStatus } from "@/lib/events/export/jobs";
import { countOf } from "./format";
import { parseViewState, resolveWindow } from "./view-state";

type Format = ExportStatus["format"];
type ExportState = ExportStatus["state"];
type Estimate = Awaited<ReturnType<typeof estimateExport>>;
type Notice = { tone: "info" | "success" | "error"; text: string; href?: string };

const FORMATS: { format: Format; label: string; hint: string; Icon: typeof FileSpreadsheet }[] = [
  { format: "csv", label: "CSV", hint: "Opens in any spreadsheet", Icon: FileSpreadsheet },
  { format: "ndjson", label: "NDJSON", hint: "One JSON event per line, for SIEMs and scripts", Icon: FileJson },
];


async function apiJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => null)) as (T & { error?: { message: string; issues?: ErrorIssue[] } }) | null;
  if (!response.ok) throw new Error(body?.error?.issues?.[0]?.message ?? body?.error?.message ?? `Request failed (${response.status})`);
  return body as T;
}

function filterParams(q: string, from: string | null, to: string | null): URLSearchParams {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  return params;
}

function startDownload(href: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

const active = (state: ExportState) => state === "pending" || state === "running";

function percent(status: ExportStatus): number {
  if (status.state === "ready") return 100;
  if (!status.rows_total) return 0;
  return Math.min(100, Math.floor((status.rows_done / status.rows_total) * 100));
}

/**
 * The viewer's Export menu: the current filter (read from the URL, as the viewer
 * keeps it, and resolved to a time window when an export starts) as CSV or NDJSON. Up to the
 * server's direct-download limit the file downloads at once (streamed); above it
 * the export becomes a background job whose progress shows here, with a notice
 * and a download link when the file is ready.
 */
export function ExportMenu({ org }: { org: string }) {
  const view = parseViewState(useSearchParams());
  const q = view.q;
  const base = `/api/v1/orgs/${encodeURIComponent(org)}`;
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [watching, setWatching] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const closeNotice = useCallback(() => setNotice(null), []);

  const recent = useQuery({
    queryKey: ["exports", org],
    queryFn: () => apiJson<{ data: ExportStatus[] }>(`${base}/exports?limit=6`),
    enabled: open,
    refetchInterval: (query) => (query.state.data?.data.some((e) => active(e.state)) ? 1500 : false),
  });

  /** Called from the job's poll when it ends: the notice, and a system notification if the person allowed them. */
  const finish = useCallback(
    (status: ExportStatus) => {
      setWatching(null);
      void queryClient.invalidateQueries({ queryKey: ["exports", org] });
      if (status.state === "ready") {
        setNotice({ tone: "success", text: `Your ${status.format.toUpperCase()} export of ${countOf(status.rows_done, "event")} is ready.`, href: status.download_url ?? undefined });
        if (typeof Notification !== "undefined" && Notification.permission === "granted") new Notification("Orgtrail export ready", { body: `${countOf(status.rows_done, "event")}, ${status.format.toUpperCase()}` });
      } else {
        setNotice({ tone: "error", text: `The export ${status.state === "expired" ? "expired" : "failed"}${status.error ? `: ${status.error}` : "."}` });
      }
    },
    [org, queryClient],
  );

  const job = useQuery({
    queryKey: ["export", org, watching],
    queryFn: async () => {
      const status = await apiJson<ExportStatus>(`${base}/exports/${watching}`);
      if (!active(status.state)) finish(status);
      return status;
    },
    enabled: watching !== null,
    refetchInterval: 1000,
  });
  const watched = watching && job.data?.id === watching ? job.data : null;

  const exportMutation = useMutation({
    mutationFn: async (format: Format) => {
      const { from, to } = resolveWindow(view);
      const params = filterParams(q, from, to);
      const estimate = await apiJson<Estimate>(`${base}/exports/estimate?${params}`);
      if (estimate.direct) {
        // The file lists the events in the view's order (newest first unless the view is oldest first).
        const download = new URLSearchParams(params);
        download.set("order", view.order);
        startDownload(`${base}/events/export.${format}?${download}`);
        return { direct: true as const, rows: estimate.rows };
      }
      const job = await apiJson<{ id: string }>(`${base}/exports`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ format, order: view.order, ...(q ? { q } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }),
      });
      return { direct: false as const, id: job.id, rows: estimate.rows };
    },
    onSuccess: (result) => {
      if (result.direct) {
        setNotice({ tone: "info", text: `Downloading ${countOf(result.rows, "event")}…` });
        return;
      }
      setWatching(result.id);
      setNotice({ tone: "info", text: `More than ${countOf(result.rows, "event")}: preparing the file in the background. You can keep working.` });
      if (typeof Notification !== "undefined" && Notification.permission === "default") void Notification.requestPermission();
      void queryClient.invalidateQueries({ queryKey: ["exports", org] });
    },
    onError: (error) => setNotice({ tone: "error", text: error instanceof Error ? error.message : "The export could not start." }),
  });

  return (
    <div className="relative flex items-center gap-2">
      {watched && active(watched.state) ? <JobProgress status={watched} /> : null}
      <DropdownMenu.Root open={open} onOpenChange={setOpen} modal={false}>
        <DropdownMenu.Trigger
          className="inline-flex h-9 items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-3 text-sm font-medium text-zinc-700 shadow-xs outline-none hover:bg-zinc-50 focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          disabled={exportMutation.isPending}
          data-testid="export-menu"
        >
          {exportMutation.isPending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : <Download className="size-4" aria-hidden />}
          Export
          <ChevronDown className="size-3.5 text-zinc-500 dark:text-zinc-400" aria-hidden />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content align="end" sideOffset={6} className="z-50 w-[22rem] rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
            <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">Export the current view</DropdownMenu.Label>
            {FORMATS.map(({ format, label, hint, Icon }) => (
              <DropdownMenu.Item
                key={format}
                onSelect={() => exportMutation.mutate(format)}
                className="flex cursor-pointer items-start gap-2.5 rounded-md px-2 py-2 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
              >
                <Icon className="mt-0.5 size-4 text-zinc-600 dark:text-zinc-400" aria-hidden />
                <span className="flex flex-col">
                  <span className="font-medium">{label}</span>
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">{hint}</span>
                </span>
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
            <DropdownMenu.Label className="px-2 pb-1 pt-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">Recent exports</DropdownMenu.Label>
            <RecentExports exports={recent.data?.data} loading={recent.isPending} />
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {notice ? <ExportNotice notice={notice} onClose={closeNotice} /> : null}
    </div>
  );
}

function JobProgress({ status }: { status: ExportStatus }) {
  const value = percent(status);
  return (
    <div className="flex w-44 flex-col gap-1" data-testid="export-progress">
      <div className="flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <span>Exporting {status.format.toUpperCase()}</span>
        <span className="tabular-nums">{value}%</span>
      </div>
      <div className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
        <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-500" style={{ width: `${value}%` }} />
      </div>
    </div>
  );
}

const STATE_STYLES: Record<ExportState, string> = {
  pending: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
  running: "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300",
  ready: "bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300",
  expired: "bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400",
};

function RecentExports({ exports, loading }: { exports: ExportStatus[] | undefined; loading: boolean }) {
  if (loading) return <p className="px-2 py-2 text-xs text-zinc-600 dark:text-zinc-400">Loading…</p>;
  if (!exports?.length) return <p className="px-2 py-2 text-xs text-zinc-600 dark:text-zinc-400">No background exports yet. Large exports appear here.</p>;
  return (
    <ul className="max-h-64 overflow-y-auto" data-testid="recent-exports">
      {exports.map((e) => (
        <li key={e.id} className="flex items-center gap-2 rounded-md px-2 py-1.5" data-testid="recent-export">
          <span className="flex min-w-0 flex-1 flex-col">
            <span className="truncate font-mono text-xs" title={e.query.q || "all events"}>
              {e.format.toUpperCase()} · {e.query.q || "all events"}
            </span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400 tabular-nums">
              {new Date(e.created_at).toLocaleString()} · {active(e.state) ? `${percent(e)}%` : countOf(e.rows_done, "row")}
            </span>
          </span>
          <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${STATE_STYLES[e.state]}`}>{e.state}</span>
          {e.download_url ? (
            <a href={e.download_url} download className="rounded p-1 text-zinc-600 dark:text-zinc-400 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100" aria-label={`Download ${e.format.toUpperCase()} export`}>
              <Download className="size-4" aria-hidden />
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ExportNotice({ notice, onClose }: { notice: Notice; onClose: () => void }) {
  const Icon = notice.tone === "success" ? CheckCircle2 : notice.tone === "error" ? XCircle : Loader2;
  useEffect(() => {
    if (notice.tone !== "info") return;
    const timer = setTimeout(onClose, 6000);
    return () => clearTimeout(timer);
  }, [notice, onClose]);
  return (
    <div role="status" aria-live="polite" data-testid="export-notice" className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] items-start gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
      <Icon className={`mt-0.5 size-4 shrink-0 ${notice.tone === "success" ? "text-emerald-600" : notice.tone === "error" ? "text-red-600" : "animate-spin text-indigo-600"}`} aria-hidden />
      <div className="flex-1">
        <p>{notice.text}</p>
        {notice.href ? (
          <a href={notice.href} download className="mt-1 inline-flex items-center gap-1 font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            <Download className="size-3.5" aria-hidden /> Download
          </a>
        ) : null}
      </div>
      <button type="button" onClick={onClose} className="rounded p-0.5 text-zinc-500 dark:text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200" aria-label="Dismiss">
        <X className="size-4" aria-hidden />
      </button>
    </div>
  );
}
