"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bookmark, BookmarkCheck, BookmarkPlus, ChevronDown, CircleAlert, Pencil, RefreshCw, Users, X } from "lucide-react";
import { useId, useRef, useState } from "react";
import type { SavedSearch } from "@/lib/saved-searches/saved-searches";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { controlButton, menuPanel } from "./filter-controls";
import { RenameSearchDialog, SaveSearchDialog } from "./saved-search-dialogs";
import { DeleteItem, menuItem, muted, rangeText, Row } from "./saved-search-row";
import { createSavedSearch, deleteSavedSearch, fetchSavedSearches, updateSavedSearch } from "./saved-searches-api";
import { useTimeZoneMode } from "./time-preference";
import type { ViewState } from "./view-state";

type Props = {
  org: string;
  orgName: string;
  /** The list the server read with the page. */
  initial: SavedSearch[];
  /** can(scope, "members.manage"): may delete what others shared. */
  canDeleteShared: boolean;
  view: ViewState;
  /** The table's visible columns, in order (what "Include column layout" keeps). */
  visibleColumns: () => string[];
  onApply: (search: SavedSearch) => void;
};

type Open = { kind: "save" } | { kind: "rename" | "delete"; search: SavedSearch } | null;
type Notice = { text: string; error: boolean };

const groupLabel = "px-2 pt-2 pb-1 text-[11px] font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400";

const isCurrent = (search: SavedSearch, view: ViewState) =>
  search.query === view.q.trim() && search.range === view.range && (search.range !== "custom" || (search.from === view.from && search.to === view.to));

/**
 * The viewer's Saved searches menu: the person's own searches and those shared
 * in the organization, applied with one choice (query, range, and columns if
 * saved with them); saving the current view; renaming, re-pointing, sharing
 * and deleting one's own (and, for those who manage members, deleting what
 * others shared).
 */
export function SavedSearchMenu({ org, orgName, initial, canDeleteShared, view, visibleColumns, onApply }: Props) {
  const queryClient = useQueryClient();
  const key = ["saved-searches", org];
  const list = useQuery({ queryKey: key, queryFn: () => fetchSavedSearches(org), initialData: initial, staleTime: 10_000 });
  const searches = list.data;
  const [menuOpen, setMenuOpen] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [mode] = useTimeZoneMode();
  const mineId = useId();
  const sharedId = useId();

  const mine = searches.filter((s) => s.mine);
  const others = searches.filter((s) => !s.mine);
  const current = searches.find((s) => isCurrent(s, view)) ?? null;

  const store = (next: SavedSearch[]) => queryClient.setQueryData(key, next);
  const replace = (saved: SavedSearch) => store(searches.some((s) => s.id === saved.id) ? searches.map((s) => (s.id === saved.id ? saved : s)) : [saved, ...searches]);
  const done = (text: string) => {
    setNotice({ text, error: false });
    void queryClient.invalidateQueries({ queryKey: key });
  };
  // The menu item that opened a dialog is gone when it closes: focus goes back to the menu's button.
  const closeDialog = () => {
    setOpen(null);
    setTimeout(() => trigger.current?.focus(), 0);
  };
  const quick = async (search: SavedSearch, change: Parameters<typeof updateSavedSearch>[2], text: string) => {
    const result = await updateSavedSearch(org, search.id, change);
    if (!result.ok) return setNotice({ text: result.error.message, error: true });
    replace(result.data);
    done(text);
  };
  const viewWindow = view.range === "custom" ? { from: view.from, to: view.to } : { from: null, to: null };
  // A dialog opened from an item takes the focus; the closing menu must not pull it back to its button.
  const dialogOpening = useRef(false);
  const openDialog = (next: NonNullable<Open>) => {
    dialogOpening.current = true;
    setOpen(next);
  };

  const ownActions = (s: SavedSearch) => (
    <>
      <DropdownMenu.Item className={menuItem} onSelect={() => openDialog({ kind: "rename", search: s })}>
        <Pencil className="size-3.5" aria-hidden /> Rename…
      </DropdownMenu.Item>
      <DropdownMenu.Item
        className={menuItem}
        onSelect={() => void quick(s, { query: view.q, range: view.range, ...viewWindow, ...(s.columns ? { columns: visibleColumns() } : {}) }, `“${s.name}” now saves the current search`)}
      >
        <RefreshCw className="size-3.5" aria-hidden /> Replace with current search
      </DropdownMenu.Item>
      <DropdownMenu.CheckboxItem
        className={menuItem}
        checked={s.shared}
        onCheckedChange={(shared) => void quick(s, { shared }, shared ? `“${s.name}” is shared with everyone in ${orgName}` : `“${s.name}” is now yours only`)}
      >
        <Users className="size-3.5" aria-hidden /> Shared with the organization
      </DropdownMenu.CheckboxItem>
      <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
      <DeleteItem onSelect={() => openDialog({ kind: "delete", search: s })} />
    </>
  );

  return (
    <>
      <DropdownMenu.Root
        modal={false}
        open={menuOpen}
        onOpenChange={(next) => {
          setMenuOpen(next);
          if (next) void list.refetch();
        }}
      >
        <DropdownMenu.Trigger ref={trigger} className={`${controlButton} h-9 max-w-56`} data-testid="saved-searches-menu" title={current ? `Saved search: ${current.name}` : undefined}>
          {current ? <BookmarkCheck className="size-4 shrink-0 text-indigo-600 dark:text-indigo-400" aria-hidden /> : <Bookmark className="size-4 shrink-0 text-zinc-600 dark:text-zinc-400" aria-hidden />}
          <span className="truncate">{current ? current.name : "Saved searches"}</span>
          {current ? <span className="sr-only">(saved search applied; open saved searches)</span> : null}
          <ChevronDown className="size-3.5 shrink-0 text-zinc-500 dark:text-zinc-400" aria-hidden />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={4}
            collisionPadding={8}
            className={`${menuPanel} w-[26rem] max-w-[calc(100vw-1rem)] overflow-y-auto`}
            style={{ maxHeight: "min(70vh, var(--radix-dropdown-menu-content-available-height))" }}
            data-testid="saved-searches-list"
            onCloseAutoFocus={(event) => {
              if (dialogOpening.current) event.preventDefault();
              dialogOpening.current = false;
            }}
          >
            <DropdownMenu.Item className={`${menuItem} font-medium text-indigo-700 dark:text-indigo-300`} onSelect={() => openDialog({ kind: "save" })}>
              <BookmarkPlus className="size-4" aria-hidden />
              Save current search…
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
            <DropdownMenu.Group aria-labelledby={mineId}>
              <DropdownMenu.Label id={mineId} className={groupLabel}>
                Mine
              </DropdownMenu.Label>
              {mine.length ? (
                mine.map((s) => (
                  <Row
                    key={s.id}
                    search={s}
                    current={s === current}
                    detail={rangeText(s, mode)}
                    onApply={() => onApply(s)}
                    actions={ownActions(s)}
                  />
                ))
              ) : (
                <p className={`${muted} px-2 pb-2`}>Nothing saved yet. Save the current search to come back to it in one click.</p>
              )}
            </DropdownMenu.Group>
            <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
            <DropdownMenu.Group aria-labelledby={sharedId}>
              <DropdownMenu.Label id={sharedId} className={groupLabel}>
                Shared with the organization
              </DropdownMenu.Label>
              {others.length ? (
                others.map((s) => (
                  <Row
                    key={s.id}
                    search={s}
                    current={s === current}
                    detail={`${rangeText(s, mode)} · by ${s.owner.name}`}
                    onApply={() => onApply(s)}
                    actions={canDeleteShared ? <DeleteItem onSelect={() => openDialog({ kind: "delete", search: s })} /> : null}
                  />
                ))
              ) : (
                <p className={`${muted} px-2 pb-2`}>No one else in {orgName} has shared a search yet.</p>
              )}
            </DropdownMenu.Group>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>

      <p role="status" className="sr-only" data-testid="saved-search-notice">
        {notice && !notice.error ? notice.text : null}
      </p>
      {notice?.error ? (
        <div role="alert" data-testid="saved-search-error" className="fixed right-4 bottom-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] items-start gap-3 rounded-lg border border-red-200 bg-white p-3 text-sm shadow-lg dark:border-red-900 dark:bg-zinc-900">
          <CircleAlert className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" aria-hidden />
          <p className="flex-1">{notice.text}</p>
          <button type="button" onClick={() => setNotice(null)} className="rounded p-0.5 text-zinc-500 hover:text-zinc-700 dark:text-zinc-400 dark:hover:text-zinc-200" aria-label="Dismiss">
            <X className="size-4" aria-hidden />
          </button>
        </div>
      ) : null}

      <SaveSearchDialog
        open={open?.kind === "save"}
        onOpenChange={(next) => !next && closeDialog()}
        orgName={orgName}
        current={{ q: view.q, rangeText: rangeText(view, mode), columnCount: open?.kind === "save" ? visibleColumns().length : 0 }}
        save={({ name, shared, withColumns }) => createSavedSearch(org, { name, query: view.q, range: view.range, ...viewWindow, shared, ...(withColumns ? { columns: visibleColumns() } : {}) })}
        onSaved={(saved) => {
          replace(saved);
          done(`Saved “${saved.name}”${saved.shared ? `, shared with everyone in ${orgName}` : ""}`);
        }}
      />
      {open?.kind === "rename" ? (
        <RenameSearchDialog
          open
          onOpenChange={(next) => !next && closeDialog()}
          search={open.search}
          rename={(name) => updateSavedSearch(org, open.search.id, { name })}
          onSaved={(saved) => {
            replace(saved);
            done(`Renamed to “${saved.name}”`);
          }}
        />
      ) : null}
      {open?.kind === "delete" ? (
        <ConfirmDialog
          open
          onOpenChange={(next) => !next && closeDialog()}
          title={`Delete “${open.search.name}”?`}
          description={deleteWarning(open.search, orgName)}
          confirmLabel="Delete saved search"
          onConfirm={async () => {
            const result = await deleteSavedSearch(org, open.search.id);
            if (result.ok) {
              store(searches.filter((s) => s.id !== open.search.id));
              done(`Deleted “${open.search.name}”`);
            }
            return result;
          }}
        />
      ) : null}
    </>
  );
}

function deleteWarning(search: SavedSearch, orgName: string): string {
  if (!search.mine) return `${search.owner.name} shared it with everyone in ${orgName}. Deleting it removes it from everyone's list, theirs included.`;
  if (search.shared) return `It is shared: it disappears from the list of everyone in ${orgName} too.`;
  return "The events stay as they are; only this saved search goes.";
}
