import "server-only";
import type { TransactionSql } from "postgres";
import type { ZodType } from "zod";
import { sql } from "@/db/client";
import { can } from "@/lib/access/permissions";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import type { UserPrincipal } from "@/lib/auth/principal";
import { AppError, conflict, forbidden, invalid, notFound, zodIssues } from "@/lib/errors";
import { parseQuery, QueryError, queryIssues } from "@/lib/events/query-language";
import type { RangeId } from "@/lib/events/range-presets";
import { isUuid } from "@/lib/uuid";
import { createSavedSearchSchema, MAX_SAVED_SEARCHES_PER_USER, updateSavedSearchSchema } from "./saved-search-input";

/*
 * Saved searches: a person's named views of the viewer (query, time range,
 * columns), kept for themself or shared with everyone who reads the
 * organization's log. Only people have them. Anyone who reads the log may save
 * and share; only the owner changes one; the owner, or someone who manages the
 * organization's members, deletes a shared one. Another person's private
 * search does not exist for the caller (404).
 */

/** A saved search as the API returns it and the viewer lists it. */
export type SavedSearch = {
  id: string;
  name: string;
  query: string;
  range: RangeId;
  from: string | null;
  to: string | null;
  columns: string[] | null;
  shared: boolean;
  owner: { id: string; name: string };
  /** The caller saved it (and so may change it). */
  mine: boolean;
  created_at: string;
  updated_at: string;
};

type Row = {
  id: string;
  owner_user_id: string;
  owner_name: string;
  name: string;
  query: string;
  range: RangeId;
  range_from: Date | null;
  range_to: Date | null;
  columns: string[] | null;
  shared: boolean;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = `s.id, s.owner_user_id, u.name as owner_name, s.name, s.query, s.range, s.range_from, s.range_to, s.columns, s.shared, s.created_at, s.updated_at`;

function toJson(row: Row, userId: string): SavedSearch {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    range: row.range,
    from: row.range_from?.toISOString() ?? null,
    to: row.range_to?.toISOString() ?? null,
    columns: row.columns,
    shared: row.shared,
    owner: { id: row.owner_user_id, name: row.owner_name },
    mine: row.owner_user_id === userId,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * The person asking. Whoever cannot read the organization's log gets 404 (as on
 * every event route); an API key or Orgtrail itself, which read but are no one, 403.
 */
export function savedSearchUser(scope: Scope): UserPrincipal {
  requirePermission(scope, "events.read");
  if (scope.principal.kind !== "user") {
    throw forbidden("Saved searches belong to people: sign in to the viewer to save a search. An API key has none; send the query itself with each request.");
  }
  return scope.principal;
}

/**
 * The person saving, sharing or deleting: as savedSearchUser, and in a
 * customer's organization a member of it. Support staff there read under a
 * grant; they leave nothing behind in the customer's organization.
 */
function savedSearchWriter(scope: Scope): UserPrincipal {
  const user = savedSearchUser(scope);
  if (scope.organization.kind === "customer" && scope.role === null) throw forbidden("Only the organization's members keep saved searches here; support access is read-only");
  return user;
}

function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid("The saved search is not valid", zodIssues(parsed.error));
  return parsed.data;
}

/** The query must be one the viewer can run: a 400 naming each bad term, as a search would answer. */
function checkQuery(query: string): void {
  try {
    parseQuery(query);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new AppError("invalid_query", `The query cannot be saved: ${error.message}`, queryIssues(error, "query"));
  }
}

/** One person's searches in one organization are changed one at a time, so the name and count checks hold. */
const lockOwner = (tx: TransactionSql, organizationId: string, userId: string) => tx`select pg_advisory_xact_lock(hashtext(${`saved_searches:${organizationId}:${userId}`}))`;

async function requireFreeName(tx: TransactionSql, organizationId: string, userId: string, name: string, except: string | null): Promise<void> {
  const [taken] = await tx<{ id: string }[]>`
    select id from saved_searches
    where organization_id = ${organizationId} and owner_user_id = ${userId} and lower(name) = lower(${name}) and id is distinct from ${except}::uuid
    limit 1`;
  if (taken) throw conflict(`You already have a saved search named “${name}”`, [{ path: "name", message: "is already the name of another of your saved searches" }]);
}

async function readOne(tx: TransactionSql, organizationId: string, id: string, lock: boolean): Promise<Row | undefined> {
  const [row] = await tx<Row[]>`
    select ${tx.unsafe(COLUMNS)} from saved_searches s join users u on u.id = s.owner_user_id
    where s.organization_id = ${organizationId} and s.id = ${id}
    ${lock ? tx`for update of s` : tx``}`;
  return row;
}

/** A search the caller can see (their own, or a shared one), locked for a change; anything else is 404. */
async function visibleForChange(tx: TransactionSql, scope: Scope, user: UserPrincipal, id: string): Promise<Row> {
  const row = isUuid(id) ? await readOne(tx, scope.organization.id, id.toLowerCase(), true) : undefined;
  if (!row || (row.owner_user_id !== user.userId && !row.shared)) throw notFound("Saved search not found");
  return row;
}

/** The caller's own searches and those shared in the organization (with their owner's name), own first, by name. */
export async function listSavedSearches(scope: Scope): Promise<SavedSearch[]> {
  const user = savedSearchUser(scope);
  const rows = await sql()<Row[]>`
    select ${sql().unsafe(COLUMNS)} from saved_searches s join users u on u.id = s.owner_user_id
    where s.organization_id = ${scope.organization.id} and (s.owner_user_id = ${user.userId} or s.shared)
    order by s.owner_user_id = ${user.userId} desc, lower(s.name), s.created_at`;
  return rows.map((row) => toJson(row, user.userId));
}

export async function createSavedSearch(scope: Scope, input: unknown): Promise<SavedSearch> {
  const user = savedSearchWriter(scope);
  const search = parseInput(createSavedSearchSchema, input);
  checkQuery(search.query);
  const organizationId = scope.organization.id;
  return sql().begin(async (tx) => {
    await lockOwner(tx, organizationId, user.userId);
    const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from saved_searches where organization_id = ${organizationId} and owner_user_id = ${user.userId}`;
    if (n >= MAX_SAVED_SEARCHES_PER_USER) {
      throw invalid(`You already keep ${MAX_SAVED_SEARCHES_PER_USER} saved searches in ${scope.organization.name}, the most one person may: delete one you no longer use to save another.`);
    }
    await requireFreeName(tx, organizationId, user.userId, search.name, null);
    const [{ id }] = await tx<{ id: string }[]>`
      insert into saved_searches (organization_id, owner_user_id, name, query, range, range_from, range_to, columns, shared)
      values (${organizationId}, ${user.userId}, ${search.name}, ${search.query}, ${search.range}, ${search.from ?? null}, ${search.to ?? null},
        ${search.columns ? tx.json(search.columns) : null}, ${search.shared})
      returning id`;
    return toJson((await readOne(tx, organizationId, id, false))!, user.userId);
  }) as Promise<SavedSearch>;
}

/**
 * Renames or re-points one of the caller's searches, or shares or unshares it.
 * A range change replaces from and to (a preset has neither).
 */
export async function updateSavedSearch(scope: Scope, id: string, input: unknown): Promise<SavedSearch> {
  const user = savedSearchWriter(scope);
  const change = parseInput(updateSavedSearchSchema, input);
  if (change.query !== undefined) checkQuery(change.query);
  const organizationId = scope.organization.id;
  return sql().begin(async (tx) => {
    await lockOwner(tx, organizationId, user.userId);
    const row = await visibleForChange(tx, scope, user, id);
    if (row.owner_user_id !== user.userId) throw forbidden(`Only ${row.owner_name}, who saved “${row.name}”, can change it: save a copy of your own instead.`);
    if (change.name !== undefined) await requireFreeName(tx, organizationId, user.userId, change.name, row.id);
    const window = change.range === undefined ? null : { range: change.range, from: change.from ?? null, to: change.to ?? null };
    const columns = change.columns === undefined ? row.columns : change.columns;
    await tx`
      update saved_searches set
        name = ${change.name ?? row.name},
        query = ${change.query ?? row.query},
        range = ${window ? window.range : row.range},
        range_from = ${window ? window.from : row.range_from},
        range_to = ${window ? window.to : row.range_to},
        columns = ${columns ? tx.json(columns) : null},
        shared = ${change.shared ?? row.shared},
        updated_at = now()
      where organization_id = ${organizationId} and id = ${row.id}`;
    return toJson((await readOne(tx, organizationId, row.id, false))!, user.userId);
  }) as Promise<SavedSearch>;
}

/** The owner deletes their search; a shared one may also be deleted by someone who manages the organization's members. */
export async function deleteSavedSearch(scope: Scope, id: string): Promise<void> {
  const user = savedSearchWriter(scope);
  await sql().begin(async (tx) => {
    const row = await visibleForChange(tx, scope, user, id);
    if (row.owner_user_id !== user.userId && !can(scope, "members.manage")) {
      throw forbidden(`Only ${row.owner_name}, who saved “${row.name}”, or an administrator of ${scope.organization.name} can delete it.`);
    }
    await tx`delete from saved_searches where organization_id = ${scope.organization.id} and id = ${row.id}`;
  });
}
