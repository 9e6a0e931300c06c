import { can } from "@/lib/access/permissions";
import type { Scope } from "@/lib/access/scope";
import { schemaDisplays } from "@/lib/events/display";
import { firstPage } from "@/lib/events/search";
import { EVENT_PAGE_SIZE } from "./api";
import { AuditLogViewer } from "./audit-log-viewer";
import { parseViewState, resolveWindow, resultKey } from "./view-state";

type SearchParams = Record<string, string | string[] | undefined>;

/** The viewer of one organization's log, its first page read on the server from the URL's filters. */
export async function ScopedAuditLog({ scope, searchParams, storageKey }: { scope: Scope; searchParams: SearchParams; storageKey: string }) {
  const view = parseViewState(searchParams);
  const window = resolveWindow(view);
  const [initial, displays] = await Promise.all([firstPage(scope, { q: view.q, from: window.from, to: window.to, order: view.order, limit: EVENT_PAGE_SIZE }), schemaDisplays()]);
  return (
    <AuditLogViewer
      org={scope.organization.slug}
      initial={{ key: resultKey(view), window, page: initial.page, issues: initial.issues }}
      displays={displays.byAction}
      metadataKeys={displays.metadataKeys}
      storageKey={storageKey}
      canExport={can(scope, "events.export")}
    />
  );
}
