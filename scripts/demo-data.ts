/** Fixed demo accounts and vocabulary (DESIGN, "Running"): scripts and docs rely on these. */
export const DEMO_PASSWORD = "orgtrail-demo";
export const DEMO_VENDOR_KEY = "ot_demo_vendor_key_0000000000000000";

/** Narrower demo keys, so access can be shown (and tested) key by key: an acme-bound reader and two keys without events:read. */
export const DEMO_SCOPED_KEYS = [
  { org: "acme", name: "Demo acme key", secret: "ot_demo_acme_key_00000000000000000000", scopes: ["events:write", "events:read"] },
  { org: "acme", name: "Demo acme ingest-only key", secret: "ot_demo_acme_ingest_key_000000000000", scopes: ["events:write"] },
  { org: null, name: "Demo vendor ingest-only key", secret: "ot_demo_vendor_ingest_key_0000000000", scopes: ["events:write"] },
] as const;

export const DEMO_ORGS = [
  { slug: "acme", name: "Acme Corp", kind: "customer" as const },
  { slug: "globex", name: "Globex", kind: "customer" as const },
  { slug: "vendor", name: "Orgtrail vendor console", kind: "vendor" as const },
];

export const DEMO_USERS = [
  { email: "owner@acme.test", name: "Ada Lovelace", platformRole: null, memberships: [{ org: "acme", role: "owner" as const, externalId: "u_acme_ada" }, { org: "globex", role: "member" as const, externalId: "u_globex_ada" }] },
  { email: "admin@acme.test", name: "Grace Hopper", platformRole: null, memberships: [{ org: "acme", role: "admin" as const, externalId: "u_acme_grace" }] },
  { email: "auditor@acme.test", name: "Alan Turing", platformRole: null, memberships: [{ org: "acme", role: "auditor" as const, externalId: "u_acme_alan" }] },
  { email: "member@acme.test", name: "Mary Jackson", platformRole: null, memberships: [{ org: "acme", role: "member" as const, externalId: "u_acme_member" }] },
  { email: "owner@globex.test", name: "Hank Scorpio", platformRole: null, memberships: [{ org: "globex", role: "owner" as const, externalId: "u_globex_hank" }] },
  { email: "admin@vendor.test", name: "Vera Vendor", platformRole: "vendor_admin" as const, memberships: [] },
  { email: "support@vendor.test", name: "Sam Support", platformRole: "vendor_support" as const, memberships: [] },
];

export const DEMO_SCHEMAS = [
  { action: "user.signed_in", targetTypes: [], display: { label: "User signed in", severity: "info" as const, columns: ["method"] }, metadata: { method: "string", mfa: "boolean" } },
  { action: "user.signed_out", targetTypes: [], display: { label: "User signed out", severity: "info" as const }, metadata: {} },
  { action: "user.login_failed", targetTypes: [], display: { label: "Sign-in failed", severity: "medium" as const, columns: ["reason"] }, metadata: { reason: "string" } },
  { action: "user.role_changed", targetTypes: ["user"], display: { label: "Role changed", severity: "high" as const, columns: ["role_from", "role_to"] }, metadata: { role_from: "string", role_to: "string" } },
  { action: "user.invited", targetTypes: ["user"], display: { label: "User invited", severity: "low" as const, columns: ["role_to"] }, metadata: { role_to: "string" } },
  { action: "document.shared", targetTypes: ["document"], display: { label: "Document shared", severity: "low" as const, columns: ["shared_with"] }, metadata: { shared_with: "string", permission: "string" } },
  { action: "document.deleted", targetTypes: ["document"], display: { label: "Document deleted", severity: "medium" as const }, metadata: {} },
  { action: "document.viewed", targetTypes: ["document"], display: { label: "Document viewed", severity: "info" as const }, metadata: {} },
  { action: "billing.plan_changed", targetTypes: ["subscription"], display: { label: "Plan changed", severity: "medium" as const, columns: ["plan_from", "plan_to"] }, metadata: { plan_from: "string", plan_to: "string" } },
  { action: "billing.invoice_paid", targetTypes: ["invoice"], display: { label: "Invoice paid", severity: "info" as const, columns: ["amount_cents"] }, metadata: { amount_cents: "number", currency: "string" } },
  { action: "api_key.created", targetTypes: ["api_key"], display: { label: "API key created", severity: "high" as const }, metadata: {} },
  { action: "data.exported", targetTypes: ["report"], display: { label: "Data exported", severity: "medium" as const, columns: ["rows"] }, metadata: { rows: "number", format: "string" } },
];
