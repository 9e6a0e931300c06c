import "server-only";
import { asc, eq } from "drizzle-orm";
import type postgres from "postgres";
import { db } from "@/db/client";
import { memberships, organizations, type OrgRole } from "@/db/schema";

export type UserOrganization = { id: string; slug: string; name: string; role: OrgRole };

/** The organizations a user belongs to, for the org switcher and the landing redirect. */
export async function organizationsOfUser(userId: string): Promise<UserOrganization[]> {
  return db()
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name));
}

/** A pool or a transaction: the vendor organization is looked up the same way from either. */
type Queryable = postgres.Sql | postgres.TransactionSql;

/**
 * The organization that holds the vendor's own log (console changes, staff
 * sign-ins). Migration 0005 creates it and a unique index keeps it single, so
 * its absence means the migrations have not run against this database.
 */
export async function vendorOrganizationId(sql: Queryable): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select id from organizations where kind = 'vendor'`;
  if (!row) throw new Error("The vendor organization is missing: run the database migrations (they create it)");
  return row.id;
}

/** Where a user's own events go: each organization they belong to (by their external id there), and the vendor log for staff. */
export async function logsOfUser(sql: Queryable, user: { id: string; platformRole: string | null }): Promise<{ organizationId: string; externalId: string | null }[]> {
  const logs = await sql<{ organization_id: string; external_id: string | null }[]>`
    select organization_id, external_id from memberships where user_id = ${user.id}`;
  const result = logs.map((log) => ({ organizationId: log.organization_id, externalId: log.external_id }));
  if (user.platformRole) result.push({ organizationId: await vendorOrganizationId(sql), externalId: null });
  return result;
}
