import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { recentEventsOfActionForSchemaPreview, PREVIEW_LIMIT } from "@/lib/events/recent-by-action";
import type { SchemaDefinition } from "./definition";
import { compileDraft, issuesAgainst, type SchemaIssue } from "./registry";

export type DraftFailure = { organization: string; id: string; occurredAt: string; version: number; issues: SchemaIssue[] };
export type DraftPreview = { checked: number; failed: number; failures: DraftFailure[] };

const SHOWN_FAILURES = 25;

/**
 * Which of the action's latest events (across organizations) a draft version
 * would refuse, had they been sent without a version. Nothing is saved.
 */
export async function previewDraft(principal: Principal, action: string, definition: SchemaDefinition, limit = PREVIEW_LIMIT): Promise<DraftPreview> {
  const events = await recentEventsOfActionForSchemaPreview(principal, action, limit);
  const draft = compileDraft({ action, version: 0, ...definition });
  const failures: DraftFailure[] = [];
  for (const event of events) {
    const issues = issuesAgainst(draft, { action, ...event }, "event");
    if (issues.length > 0) failures.push({ organization: event.organizationSlug, id: event.id, occurredAt: event.occurredAt, version: event.version, issues });
  }
  return { checked: events.length, failed: failures.length, failures: failures.slice(0, SHOWN_FAILURES) };
}
