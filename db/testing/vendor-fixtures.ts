import { sql } from "@/db/client";
import { vendorOrganizationId } from "@/lib/access/organizations";
import type { UserPrincipal } from "@/lib/auth/principal";
import { createUser, setPlatformRole } from "./fixtures";

/** A fresh vendor admin for console tests. */
export async function createVendorAdmin(): Promise<UserPrincipal> {
  return setPlatformRole(await createUser(null, null), "vendor_admin");
}

/** The organization that holds the vendor's own log. */
export async function vendorOrgId(): Promise<string> {
  return vendorOrganizationId(sql());
}

/**
 * Runs `run` on an installation without a vendor admin: the test database holds
 * the demo one, so every vendor admin is demoted for the run and restored after.
 */
export async function withoutVendorAdmins(run: () => Promise<void>): Promise<void> {
  const demoted = await sql()<{ id: string }[]>`update users set platform_role = 'vendor_support' where platform_role = 'vendor_admin' returning id`;
  try {
    await run();
  } finally {
    await sql()`update users set platform_role = 'vendor_admin' where id = any(${demoted.map((u) => u.id)}::uuid[])`;
  }
}
