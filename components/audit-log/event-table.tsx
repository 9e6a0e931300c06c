"use client";

import {
  columnOrderingFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  tableFeatures,
  useTable,
  type ColumnOrderState,
  type ColumnSizingState,
  type Updater,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp } from "lucide-react";
import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type ReactNode, type Ref } from "react";
import type { AuditEvent, EventEntity } from "@/lib/events/types";
import { useColumnPrefs, withLayout, type ColumnPrefs } from "./column-prefs";
import { FilterValue } from "./filter-value";
import { entityEmail, entityLabel } from "./format";
import { actorFilterTerm, targetFilterTerm } from "./query-edit";
import { SeverityBadge } from "./severity-badge";
import { Time } from "./time";
import { useMediaQuery } from "./use-media-query";

export type ActionDisplay = { label?: string; severity?: "info" | "low" | "medium" | "high" | "critical"; columns?: string[] };
export type SchemaDisplays = Record<string, ActionDisplay>;

export const ROW_HEIGHT = 44;
/** A phone's card row: time and severity, action, actor, targets and IP, one line each. */
const CARD_HEIGHT = 112;

const features = tableFeatures({ columnVisibilityFeature, columnOrderingFeature, columnSizingFeature, columnResizingFeature });
const column = createColumnHelper<typeof features, AuditEvent>();

function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function metadataValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** An empty cell: a dash to the eye, "none" to a screen reader. */
function Empty() {
  return (
    <span className="text-zinc-600 dark:text-zinc-400">
      <span aria-hidden>—</span>
      <span className="sr-only">none</span>
    </span>
  );
}

function TargetChips({ targets, focusable = false }: { targets: EventEntity[]; focusable?: boolean }) {
  if (!targets.length) return <Empty />;
  return (
    <span className="flex min-w-0 items-center gap-1 overflow-hidden">
      {targets.slice(0, 3).map((t, i) => (
        <FilterValue
          key={i}
          term={targetFilterTerm(t)}
          focusable={focusable}
          title={`${t.type}:${t.id}`}
          className="inline-flex min-w-0 shrink items-center gap-1 rounded border border-zinc-200 bg-zinc-50 px-1.5 py-0.5 text-xs hover:no-underline hover:border-zinc-400 dark:border-zinc-700/70 dark:bg-zinc-800/60 dark:hover:border-zinc-500"
        >
          <span className="shrink-0 text-zinc-600 dark:text-zinc-400">{t.type}</span>
          <span className="truncate text-zinc-800 dark:text-zinc-200">{t.name ?? t.id}</span>
        </FilterValue>
      ))}
      {targets.length > 3 ? <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400">+{targets.length - 3}</span> : null}
    </span>
  );
}

function buildColumns(displays: SchemaDisplays, metadataKeys: string[]) {
  return column.columns([
    column.accessor("occurred_at", { id: "time", header: "Time", size: 172, minSize: 140, enableHiding: false, cell: (info) => <Time iso={info.getValue()} className="font-mono text-[12.5px] whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400" /> }),
    column.accessor("action", {
      header: "Action",
      size: 230,
      minSize: 120,
      enableHiding: false,
      cell: (info) => {
        const display = displays[info.getValue()];
        return (
          <span className="flex min-w-0 flex-col items-start">
            <FilterValue term={{ key: "action", value: info.getValue() }} focusable={false} className="truncate font-mono text-[12.5px] font-medium text-zinc-900 dark:text-zinc-100">
              {info.getValue()}
            </FilterValue>
            {display?.label ? <span className="max-w-full truncate text-xs text-zinc-600 dark:text-zinc-400">{display.label}</span> : null}
          </span>
        );
      },
    }),
    column.accessor("actor", {
      header: "Actor",
      size: 220,
      minSize: 120,
      cell: (info) => {
        const actor = info.getValue();
        return (
          <span className="flex min-w-0 flex-col items-start">
            <FilterValue term={actorFilterTerm(actor)} focusable={false} className="truncate text-zinc-900 dark:text-zinc-100">
              {entityLabel(actor)}
            </FilterValue>
            <span className="max-w-full truncate font-mono text-[11.5px] text-zinc-600 dark:text-zinc-400">{entityEmail(actor) ?? `${actor.type}:${actor.id}`}</span>
          </span>
        );
      },
    }),
    column.accessor((e) => displays[e.action]?.severity ?? "", {
      id: "severity",
      header: "Severity",
      size: 96,
      minSize: 80,
      cell: (info) => <SeverityBadge severity={info.getValue()} />,
    }),
    column.accessor("targets", {
      header: "Targets",
      size: 260,
      minSize: 120,
      cell: (info) => <TargetChips targets={info.getValue()} />,
    }),
    column.accessor((e) => e.context.location ?? "", {
      id: "ip",
      header: "IP address",
      size: 140,
      minSize: 90,
      cell: (info) =>
        info.getValue() ? (
          <FilterValue term={{ key: "ip", value: info.getValue() }} focusable={false} className="truncate font-mono text-[12.5px] text-zinc-700 dark:text-zinc-300">
            {info.getValue()}
          </FilterValue>
        ) : (
          <Empty />
        ),
    }),
    column.accessor((e) => e, {
      id: "details",
      header: "Details",
      size: 260,
      minSize: 120,
      cell: (info) => {
        const event = info.getValue();
        const keys = displays[event.action]?.columns ?? [];
        const shown = keys.filter((k) => event.metadata[k] !== undefined);
        if (!shown.length) return <Empty />;
        return (
          <span className="flex min-w-0 gap-3 overflow-hidden text-xs">
            {shown.map((k) => (
              <span key={k} className="min-w-0 truncate">
                <span className="text-zinc-600 dark:text-zinc-400">{humanize(k)}</span> <span className="font-mono text-zinc-800 dark:text-zinc-200">{metadataValue(event.metadata[k])}</span>
              </span>
            ))}
          </span>
        );
      },
    }),
    column.accessor((e) => e.context.user_agent ?? "", { id: "user_agent", header: "User agent", size: 240, minSize: 100, cell: (info) => (info.getValue() ? <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{info.getValue()}</span> : <Empty />) }),
    column.accessor("seq", { header: "Seq", size: 90, minSize: 60, cell: (info) => <span className="font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{info.getValue()}</span> }),
    column.accessor("id", { header: "Event id", size: 300, minSize: 120, cell: (info) => <span className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{info.getValue()}</span> }),
    ...metadataKeys.map((key) =>
      column.accessor((e) => metadataValue(e.metadata[key]), { id: `meta:${key}`, header: humanize(key), size: 150, minSize: 80, cell: (info) => (info.getValue() ? <span className="truncate font-mono text-xs">{info.getValue()}</span> : <Empty />) }),
    ),
  ]);
}

type Props = {
  events: AuditEvent[];
  displays: SchemaDisplays;
  metadataKeys: string[];
  storageKey: string;
  order: "asc" | "desc";
  onToggleOrder: () => void;
  activeIndex: number;
  onActiveIndexChange: (index: number) => void;
  onOpen: (event: AuditEvent) => void;
  freshIds: ReadonlySet<string>;
  canLoadMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  toolbar: (table: ColumnsControl) => ReactNode;
  footer: ReactNode;
  ref?: Ref<EventTableHandle>;
};

export type ColumnsControl = {
  columns: { id: string; label: string; visible: boolean; canHide: boolean }[];
  setVisible: (id: string, visible: boolean) => void;
  move: (id: string, by: -1 | 1) => void;
  reset: () => void;
};

/**
 * Lets the viewer put focus back on the active row (when the detail panel
 * closes), and read or set the visible columns (a saved search's layout).
 */
export type EventTableHandle = { focusActive: () => void; visibleColumns: () => string[]; showColumns: (ids: readonly string[]) => void };

/**
 * The events, virtualized (only the rows in view are in the DOM, so ten
 * thousand loaded rows scroll smoothly), with resizable, reorderable and
 * hideable columns remembered per person, and j/k/arrow/Enter navigation.
 * The active row holds the focus (a roving tab stop). Below the `sm`
 * breakpoint the rows are cards: a phone cannot show a 1,300 px table.
 */
export function EventTable(props: Props) {
  const { events, displays, metadataKeys, activeIndex, onActiveIndexChange, onOpen } = props;
  const compact = !useMediaQuery("(min-width: 640px)", true);
  const columns = useMemo(() => buildColumns(displays, metadataKeys), [displays, metadataKeys]);
  const defaults = useMemo<ColumnPrefs>(
    () => ({
      visibility: { user_agent: false, seq: false, id: false, ...Object.fromEntries(metadataKeys.map((k) => [`meta:${k}`, false])) },
      order: [],
      sizing: {},
    }),
    [metadataKeys],
  );
  const [prefs, savePrefs] = useColumnPrefs(props.storageKey, defaults);
  const apply = <T,>(updater: Updater<T>, current: T): T => (typeof updater === "function" ? (updater as (old: T) => T)(current) : updater);

  const table = useTable({
    features,
    columns,
    data: events,
    getRowId: (row) => row.id,
    columnResizeMode: "onChange",
    state: { columnVisibility: prefs.visibility, columnOrder: prefs.order, columnSizing: prefs.sizing },
    onColumnVisibilityChange: (u) => savePrefs({ ...prefs, visibility: apply(u, prefs.visibility) }),
    onColumnOrderChange: (u) => savePrefs({ ...prefs, order: apply<ColumnOrderState>(u, prefs.order) }),
    onColumnSizingChange: (u) => savePrefs({ ...prefs, sizing: apply<ColumnSizingState>(u, prefs.sizing) }),
  });

  const rows = table.getRowModel().rows;
  const rowHeight = compact ? CARD_HEIGHT : ROW_HEIGHT;
  const scroller = useRef<HTMLDivElement>(null);
  // useVirtualizer hands out fresh functions on every scroll: the compiler rightly leaves this component unmemoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12, getItemKey: (i) => rows[i]!.id });
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // Live mode prepends rows: keep the rows the person is reading where they are.
  const firstId = useRef<string | null>(null);
  useLayoutEffect(() => {
    const previous = firstId.current;
    firstId.current = events[0]?.id ?? null;
    const el = scroller.current;
    if (!previous || !el || el.scrollTop === 0) return;
    const moved = events.findIndex((e) => e.id === previous);
    if (moved > 0) el.scrollTop += moved * rowHeight;
  }, [events, rowHeight]);

  const lastIndex = items.at(-1)?.index ?? 0;
  const { canLoadMore, loadingMore, onLoadMore } = props;
  useEffect(() => {
    if (canLoadMore && !loadingMore && rows.length > 0 && lastIndex >= rows.length - 25) onLoadMore();
  }, [canLoadMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  // Focus follows the active row once it is rendered (it may first have to scroll into view).
  const focusPending = useRef(false);
  const rowElement = (index: number) => scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`) ?? null;
  const focusRow = (index: number) => {
    const el = rowElement(index);
    if (el) {
      focusPending.current = false;
      el.focus({ preventScroll: true });
    } else focusPending.current = true;
  };
  useEffect(() => {
    if (focusPending.current) focusRow(activeIndex);
  });
  useImperativeHandle(props.ref, () => ({
    focusActive: () => {
      if (!rows.length) return;
      virtualizer.scrollToIndex(activeIndex, { align: "auto" });
      focusRow(activeIndex);
    },
    visibleColumns: () => table.getVisibleLeafColumns().map((c) => c.id),
    showColumns: (ids) => savePrefs(withLayout(prefs, table.getAllLeafColumns().map((c) => ({ id: c.id, canHide: c.getCanHide() })), ids)),
  }));

  function move(to: number) {
    const index = Math.max(0, Math.min(rows.length - 1, to));
    onActiveIndexChange(index);
    virtualizer.scrollToIndex(index, { align: "auto" });
    focusRow(index);
  }

  function onKeyDown(event: KeyboardEvent) {
    // Keys typed into a menu or a button inside a row are theirs.
    const onRow = event.target === event.currentTarget || (event.target as HTMLElement).hasAttribute("data-index");
    if (!onRow || event.metaKey || event.ctrlKey || event.altKey) return;
    const keys: Record<string, () => void> = {
      j: () => move(activeIndex + 1),
      ArrowDown: () => move(activeIndex + 1),
      k: () => move(activeIndex - 1),
      ArrowUp: () => move(activeIndex - 1),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      PageDown: () => move(activeIndex + 10),
      PageUp: () => move(activeIndex - 10),
      Enter: () => rows[activeIndex] && onOpen(rows[activeIndex].original),
      o: () => rows[activeIndex] && onOpen(rows[activeIndex].original),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  const leaves = table.getVisibleLeafColumns();
  const control: ColumnsControl = {
    columns: table.getAllLeafColumns().map((c) => ({ id: c.id, label: typeof c.columnDef.header === "string" ? c.columnDef.header : c.id, visible: c.getIsVisible(), canHide: c.getCanHide() })),
    setVisible: (id, visible) => table.getColumn(id)?.toggleVisibility(visible),
    move: (id, by) => {
      const ids = table.getAllLeafColumns().map((c) => c.id);
      const i = ids.indexOf(id);
      const j = i + by;
      if (i < 0 || j < 0 || j >= ids.length) return;
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      table.setColumnOrder(ids);
    },
    reset: () => savePrefs(null),
  };
  const cellStyle = (size: number, last: boolean) => ({ width: size, flex: last ? "1 0 auto" : "0 0 auto" });
  // The active row is the one tab stop among the rows; while it is scrolled out of the DOM, the list itself is.
  const activeRendered = items.some((item) => item.index === activeIndex);
  const open = (index: number) => {
    onActiveIndexChange(index);
    onOpen(rows[index]!.original);
  };
  const rowClass = (active: boolean) =>
    `absolute flex w-full cursor-pointer border-b border-zinc-100 outline-none focus-visible:shadow-[inset_0_0_0_2px_var(--color-indigo-500)] dark:border-zinc-800/70 ${
      active ? "bg-indigo-50/60 shadow-[inset_2px_0_0_var(--color-indigo-500)] dark:bg-indigo-500/10" : "hover:bg-zinc-50 dark:hover:bg-zinc-900/70"
    }`;
  const rowProps = (index: number, id: string, start: number) => ({
    "data-testid": "event-row",
    "data-index": index,
    tabIndex: index === activeIndex ? 0 : -1,
    onClick: () => open(index),
    onFocus: (event: { target: EventTarget; currentTarget: EventTarget }) => {
      if (event.target === event.currentTarget && index !== activeIndex) onActiveIndexChange(index);
    },
    style: { height: rowHeight, transform: `translateY(${start}px)`, animation: props.freshIds.has(id) ? "orgtrail-fresh 3s ease-out" : undefined },
  });

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {props.toolbar(control)}
      <div
        ref={scroller}
        role="region"
        aria-label="Events"
        aria-describedby="events-keys"
        tabIndex={activeRendered ? -1 : 0}
        onKeyDown={onKeyDown}
        className="relative min-h-0 flex-1 overflow-auto overscroll-contain focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/40 focus-visible:ring-inset"
        data-testid="events-scroller"
      >
        <p id="events-keys" className="sr-only">
          Use j and k or the arrow keys to move between events, Enter to open one.
        </p>
        {compact ? (
          <div role="list" className="relative" style={{ height: virtualizer.getTotalSize() }} data-testid="event-cards">
            {items.map((item) => {
              const row = rows[item.index]!;
              const active = item.index === activeIndex;
              return (
                <div key={row.id} role="listitem" aria-current={active ? "true" : undefined} className={`${rowClass(active)} top-0 left-0`} {...rowProps(item.index, row.id, item.start)}>
                  <EventCard event={row.original} display={displays[row.original.action]} />
                </div>
              );
            })}
          </div>
        ) : (
          <table className="grid text-left text-sm" style={{ minWidth: "100%", width: table.getTotalSize() }} data-testid="events-table" aria-rowcount={rows.length}>
            <thead className="sticky top-0 z-10 grid border-b border-zinc-200 bg-zinc-50/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} className="flex w-full">
                  {group.headers.map((header, i) => {
                    const isTime = header.column.id === "time";
                    return (
                      <th key={header.id} scope="col" className="group relative flex h-9 items-center px-3 text-[11.5px] font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400" style={cellStyle(header.getSize(), i === group.headers.length - 1)}>
                        {isTime ? (
                          <button type="button" onClick={props.onToggleOrder} className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 uppercase hover:bg-zinc-200/70 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100" aria-label={`Time, ${props.order === "desc" ? "newest" : "oldest"} first. Change order`} data-testid="sort-time">
                            Time {props.order === "desc" ? <ArrowDown className="size-3.5" aria-hidden /> : <ArrowUp className="size-3.5" aria-hidden />}
                          </button>
                        ) : (
                          <span className="truncate">{header.isPlaceholder ? null : <table.FlexRender header={header} />}</span>
                        )}
                        <div
                          role="separator"
                          aria-orientation="vertical"
                          aria-label={`Resize ${header.column.id}`}
                          onPointerDown={header.getResizeHandler()}
                          onDoubleClick={() => header.column.resetSize()}
                          className={`absolute top-1.5 right-0 bottom-1.5 w-1.5 cursor-col-resize touch-none rounded-full border-r-2 ${header.column.getIsResizing() ? "border-indigo-500" : "border-transparent group-hover:border-zinc-300 dark:group-hover:border-zinc-700"}`}
                        />
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => {
                const row = rows[item.index]!;
                const active = item.index === activeIndex;
                const cells = row.getVisibleCells();
                return (
                  <tr key={row.id} aria-selected={active} className={`${rowClass(active)} items-center`} {...rowProps(item.index, row.id, item.start)}>
                    {cells.map((cell, i) => (
                      <td key={cell.id} className="flex min-w-0 items-center overflow-hidden px-3" style={cellStyle(cell.column.getSize(), i === cells.length - 1)}>
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {leaves.length === 0 ? null : props.footer}
        <style>{"@keyframes orgtrail-fresh { from { background-color: rgb(16 185 129 / 0.2); } to { background-color: transparent; } }"}</style>
      </div>
    </div>
  );
}

/** One event as a phone's card: when and how severe, what, who, on what and from where. */
function EventCard({ event, display }: { event: AuditEvent; display: ActionDisplay | undefined }) {
  const targets = event.targets.map((t) => `${t.type} ${t.name ?? t.id}`);
  return (
    <div className="flex min-w-0 flex-1 flex-col justify-center gap-0.5 px-4 py-2 text-sm">
      <div className="flex items-center justify-between gap-2">
        <Time iso={event.occurred_at} className="font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400" />
        <SeverityBadge severity={display?.severity} />
      </div>
      <div className="flex min-w-0 items-baseline gap-2">
        <span className="max-w-[75%] shrink-0 truncate font-medium text-zinc-900 dark:text-zinc-100">{display?.label ?? event.action}</span>
        {display?.label ? <span className="min-w-0 truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{event.action}</span> : null}
      </div>
      <div className="truncate text-zinc-800 dark:text-zinc-200">
        {entityLabel(event.actor)}
        {entityEmail(event.actor) && entityEmail(event.actor) !== event.actor.name ? <span className="text-zinc-600 dark:text-zinc-400"> · {entityEmail(event.actor)}</span> : null}
      </div>
      <div className="flex min-w-0 items-center justify-between gap-3 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="truncate">{targets.length ? `→ ${targets.slice(0, 2).join(", ")}${targets.length > 2 ? ` +${targets.length - 2}` : ""}` : "No targets"}</span>
        {event.context.location ? <span className="shrink-0 font-mono">{event.context.location}</span> : null}
      </div>
    </div>
  );
}
