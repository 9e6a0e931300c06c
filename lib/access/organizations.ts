import "server-only";
import { asc, eq } from "drizzle-orm";
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
