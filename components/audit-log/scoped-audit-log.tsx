import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { schemaDisplays } from "@/lib/events/display";
import { firstPage } from "@/lib/events/search";
import { listSavedSearches } from "@/lib/saved-searches/saved-searches";
import { EVENT_PAGE_SIZE } from "./api";
import { AuditLogViewer } from "./audit-log-viewer";
import { parseViewState, resolveWindow, resultKey } from "./view-state";

type SearchParams = Record<string, string | string[] | undefined>;

/** The viewer of one organization's log, its first page read on the server from the URL's filters. */
export async function ScopedAuditLog({ scope, searchParams, storageKey }: { scope: Scope; searchParams: SearchParams; storageKey: string }) {
  const view = parseViewState(searchParams);
  const window = resolveWindow(view);
  // Saved searches are people's: a page is always a person's, but the scope type allows others.
  const person = scope.principal.kind === "user";
  const [initial, displays, saved] = await Promise.all([
    firstPage(scope, { q: view.q, from: window.from, to: window.to, order: view.order, limit: EVENT_PAGE_SIZE }),
    schemaDisplays(),
    person ? listSavedSearches(scope) : null,
  ]);
  return (
    <AuditLogViewer
      org={scope.organization.slug}
      initial={{ key: resultKey(view), window, page: initial.page, issues: initial.issues }}
      displays={displays.byAction}
      metadataKeys={displays.metadataKeys}
      storageKey={storageKey}
      canExport={can(scope, "events.export")}
      saved={saved ? { orgName: scope.organization.name, initial: saved, canDeleteShared: can(scope, "members.manage") } : null}
    />
  );
}
