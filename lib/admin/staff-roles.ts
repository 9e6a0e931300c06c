import type { PlatformRole } from "@/db/schema";

/** What each vendor staff role is called and may do, for the console's forms and messages (client-safe: no server code). */
export const STAFF_ROLES: readonly { role: PlatformRole; label: string; description: string }[] = [
  {
    role: "vendor_admin",
    label: "Vendor admin",
    description: "Manages organizations, event schemas, vendor API keys and staff. Reads the vendor log, never a customer's.",
  },
  {
    role: "vendor_support",
    label: "Support",
    description: "Opens a customer's log read-only, for up to 4 hours at a time, with a reason the customer reads in their own log.",
  },
];

export const staffRoleLabel = (role: PlatformRole): string => STAFF_ROLES.find((r) => r.role === role)?.label ?? role;
