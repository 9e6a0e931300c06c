import "server-only";
import { sql } from "@/db/client";
import type { UserPrincipal } from "@/lib/auth/principal";
import { organizationsOfUser } from "./organizations";
import { can, permissionsOfRole } from "./permissions";
import { supportableOrganizations } from "./support";

/** How many customer organizations the switcher lists for support staff; the console's Organizations page lists them all. */
export const SWITCHER_SUPPORT_LIMIT = 50;

export type OrgSwitcherData = {
  /** The organizations the user is a member of, with their role there. */
  memberOf: { slug: string; name: string; role: string }[];
  /** Vendor staff: the vendor's own log. */
  vendorLog: { slug: string; name: string } | null;
  /** Vendor admins manage in the console; support staff find every customer there. */
  console: "admin" | "support" | null;
  /** Support staff: customer organizations they may ask to reach (live grants first), and until when a grant is open. */
  support: { slug: string; name: string; accessUntil: string | null }[];
};

/** What the org switcher offers a signed-in user. */
export async function orgSwitcherFor(user: UserPrincipal): Promise<OrgSwitcherData> {
  const permissions = { permissions: user.platformRole ? permissionsOfRole(user.platformRole) : new Set<never>() };
  const isAdmin = can(permissions, "orgs.manage");
  const isSupport = can(permissions, "support.access");
  const [memberOf, vendorLog, support] = await Promise.all([
    organizationsOfUser(user.userId),
    user.platformRole ? sql()<{ slug: string; name: string }[]>`select slug, name from organizations where kind = 'vendor'`.then((rows) => rows[0] ?? null) : null,
    isSupport ? supportableOrganizations(user.userId, SWITCHER_SUPPORT_LIMIT) : [],
  ]);
  return {
    memberOf: memberOf.map((o) => ({ slug: o.slug, name: o.name, role: o.role })),
    vendorLog,
    console: isAdmin ? "admin" : isSupport ? "support" : null,
    support: support.map((o) => ({ slug: o.slug, name: o.name, accessUntil: o.accessUntil?.toISOString() ?? null })),
  };
}
