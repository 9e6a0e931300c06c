import { sql } from "@/db/client";
import type { UserPrincipal } from "@/lib/auth/principal";
import { createUser, setPlatformRole } from "./fixtures";

/** A fresh vendor admin for console tests. */
export async function createVendorAdmin(): Promise<UserPrincipal> {
  return setPlatformRole(await createUser(null, null), "vendor_admin");
}

/** The organization that holds the vendor's own log. */
export async function vendorOrgId(): Promise<string> {
  const [row] = await sql()<{ id: string }[]>`select id from organizations where kind = 'vendor' order by created_at limit 1`;
  return row!.id;
}
