import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse, type Browser, type PlaywrightWorkerArgs } from "@playwright/test";
import { DEMO_SCOPED_KEYS } from "../scripts/demo-data";
import { DEMO_VENDOR_KEY } from "./helpers";
import { apiSignIn } from "./session";

/**
 * The access matrix (issue 5): every API route and page under app/ × every kind
 * of caller × the caller's own organization, another customer's and the vendor
 * log, with the expected status and, for reads, the exact events returned.
 * A route file under app/ that is not in ROUTES fails the first test.
 */

const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const ORGS = ["acme", "globex", "vendor"] as const;
type Org = (typeof ORGS)[number];

const SESSIONS = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  auditor: "auditor@acme.test",
  member: "member@acme.test",
  vendor_admin: "admin@vendor.test",
  vendor_support: "support@vendor.test",
} as const;
const keySecret = (name: string) => DEMO_SCOPED_KEYS.find((k) => k.name === name)!.secret;
const KEYS = {
  org_key: keySecret("Demo acme key"),
  org_key_ingest_only: keySecret("Demo acme ingest-only key"),
  vendor_key: DEMO_VENDOR_KEY,
  vendor_key_ingest_only: keySecret("Demo vendor ingest-only key"),
} as const;
type Who = "anonymous" | keyof typeof SESSIONS | "vendor_support_granted" | keyof typeof KEYS;
const WHO: Who[] = ["anonymous", "owner", "admin", "auditor", "member", "vendor_admin", "vendor_support", "org_key", "org_key_ingest_only", "vendor_key", "vendor_key_ingest_only"];

/** What a caller may do in one organization: the model the matrix checks the server against. */
/**
 * `manage`: the org settings sections (members, keys, retention) of owners and admins.
 * `streams`: log streams: auditors read them, admins also manage them, owners also replay them.
 * `orgs`: the organization itself (GET/PATCH /api/v1/orgs/{org}, its alias): vendor admins, in customer organizations.
 */
type Access = {
  auth: "none" | "session" | "key";
  read: "all" | "own" | "none";
  ownId?: string;
  export: boolean;
  write: boolean;
  supportPage: boolean;
  schemas: boolean;
  manage: boolean;
  streams: StreamAccess;
  orgs: boolean;
};
type StreamAccess = "none" | "read" | "manage" | "replay";
const NONE: Omit<Access, "auth"> = { read: "none", export: false, write: false, supportPage: false, schemas: false, manage: false, streams: "none", orgs: false };

function access(who: Who, org: Org): Access {
  const customer = org !== "vendor";
  switch (who) {
    case "anonymous":
      return { auth: "none", ...NONE };
    case "owner":
      if (org === "acme") return { auth: "session", ...NONE, read: "all", export: true, manage: true, streams: "replay" };
      // owner@acme.test is a plain member of globex (DESIGN demo data).
      if (org === "globex") return { auth: "session", ...NONE, read: "own", ownId: "u_globex_ada" };
      return { auth: "session", ...NONE };
    case "admin":
      return { auth: "session", ...NONE, ...(org === "acme" ? { read: "all", export: true, manage: true, streams: "manage" } : {}) };
    case "auditor":
      return { auth: "session", ...NONE, ...(org === "acme" ? { read: "all", export: true, streams: "read" } : {}) };
    case "member":
      return { auth: "session", ...NONE, ...(org === "acme" ? { read: "own", ownId: "u_acme_member" } : {}) };
    case "vendor_admin":
      return { auth: "session", ...NONE, schemas: true, orgs: customer, ...(customer ? {} : { read: "all" }) };
    case "vendor_support":
      return { auth: "session", ...NONE, supportPage: customer, ...(customer ? {} : { read: "all" }) };
    case "vendor_support_granted":
      // The grant is on acme only.
      return { auth: "session", ...NONE, supportPage: customer, ...(org !== "globex" ? { read: "all" } : {}) };
    case "org_key":
      return { auth: "key", ...NONE, ...(org === "acme" ? { read: "all", write: true } : {}) };
    case "org_key_ingest_only":
      return { auth: "key", ...NONE, write: org === "acme" };
    case "vendor_key":
      return { auth: "key", ...NONE, schemas: true, ...(customer ? { read: "all", export: true, write: true } : {}) };
    case "vendor_key_ingest_only":
      return { auth: "key", ...NONE, write: customer };
  }
}

type Known = { id: string; org: Org; names: string[] };
type World = {
  marker: string;
  events: Known[];
  orgIds: Record<Org, string>;
  exportIds: Record<Org, string>;
  downloadUrls: Record<Org, string | null>;
  callers: Partial<Record<Who, APIRequestContext>>;
  /** A log stream in each customer organization, made by its owner. */
  streamIds: Record<"acme" | "globex", string>;
  /** An export of each customer organization's probes, made through the WorkOS-compatible API with the vendor key. */
  workosExportIds: Record<"acme" | "globex", string>;
  /** Saved searches made by the organizations' owners: acme's owner keeps one private and shares one; globex's owner shares one. */
  savedIds: { acmePrivate: string; acmeShared: string; globexShared: string };
};
const world = {} as World;

const visible = (org: Org, a: Access): string[] =>
  world.events.filter((e) => e.org === org && (a.read === "all" || (a.read === "own" && e.names.includes(a.ownId!)))).map((e) => e.id).sort();

type Case = { who: Who; org: Org; a: Access; req: APIRequestContext; label: string };

function expectStatus(c: Case, what: string, response: APIResponse, expected: number): boolean {
  expect.soft(response.status(), `${c.label}: ${what}`).toBe(expected);
  return response.status() === expected;
}

/** Pages: a redirect is checked with where it goes. */
function expectRedirect(c: Case, what: string, response: APIResponse, to: RegExp): void {
  expect.soft(response.status(), `${c.label}: ${what} redirects`).toBe(307);
  expect.soft(response.headers()["location"] ?? "", `${c.label}: ${what} redirects to ${to}`).toMatch(to);
}

const readStatus = (a: Access) => (a.auth === "none" ? 401 : a.read === "none" ? 404 : 200);
const exportStatus = (a: Access) => (a.auth === "none" ? 401 : a.export ? 200 : a.read !== "none" ? 403 : 404);
const schemaStatus = (a: Access, ok: number) => (a.auth === "none" ? 401 : a.schemas ? ok : 404);
const orgsStatus = (a: Access, ok: number) => (a.auth === "none" ? 401 : a.orgs ? ok : 404);
const STREAM_RANK: Record<StreamAccess, number> = { none: 0, read: 1, manage: 2, replay: 3 };
/** A log-stream route: `ok` with the permission; without it 403 for one who reads the org's events, else 404 (lib/access/require-permission.ts). */
const streamStatus = (a: Access, need: Exclude<StreamAccess, "none">, ok: number) =>
  a.auth === "none" ? 401 : STREAM_RANK[a.streams] >= STREAM_RANK[need] ? ok : a.read !== "none" ? 403 : 404;
/** The stream of another organization than `org`: reaching it through `org`'s path must be a 404. */
const foreignStream = (org: Org) => (org === "acme" ? world.streamIds.globex : world.streamIds.acme);
const ownStream = (org: Org) => (org === "vendor" ? world.streamIds.acme : world.streamIds[org]);
const streamsPath = (c: Case, rest = "") => `/api/v1/orgs/${c.org}/log-streams${rest}`;
/** The matrix's streams send to a closed port; a filter no event matches keeps them from retrying. */
const MATRIX_STREAM = { filter: "action:matrix.never_sent", destination: { type: "webhook", url: "http://127.0.0.1:9/matrix" } };
/** Saved searches are people's: 401 for no one, 404 for a caller who cannot read the org's log, 403 for a key that can, else `ok`. */
const savedStatus = (a: Access, ok: number) => (a.auth === "none" ? 401 : a.read === "none" ? 404 : a.auth === "key" ? 403 : ok);
/** Saving, changing or deleting: as savedStatus, but support staff reading a customer's log under a grant keep nothing there (403, before any lookup). */
const savedWriteStatus = (c: Case, ok: number) => (c.who === "vendor_support_granted" && c.org !== "vendor" && c.a.read !== "none" ? 403 : savedStatus(c.a, ok));
const savedPath = (c: Case, rest = "") => `/api/v1/orgs/${c.org}/saved-searches${rest}`;
/** A saved search of another organization than `org`: reaching it through `org`'s path must be a 404. */
const foreignSaved = (org: Org) => (org === "globex" ? world.savedIds.acmeShared : world.savedIds.globexShared);
/** acme's owner made acme's searches: only they may change them. */
const acmeOwner = (c: Case) => c.who === "owner" && c.org === "acme";
/** The WorkOS-compatible API (lib/workos) takes an API key only: no key and a browser session alike are a 401. */
const workosStatus = (a: Access, ok: number, allowed: boolean) => (a.auth !== "key" ? 401 : allowed ? ok : a.read !== "none" ? 403 : 404);
/** A WorkOS export as GET /audit_logs/exports/{id} returns it to the vendor key: each call signs a fresh download URL. */
async function workosExport(id: string): Promise<{ state: string; url: string | null }> {
  const response = await world.callers.vendor_key!.get(`/audit_logs/exports/${id}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { state: string; url: string | null };
}
// The run's probes only: exports of this run also carry the marker in their own events' metadata.
const q = () => `?q=${encodeURIComponent(`action:matrix.probe ${world.marker}`)}`;

/** A page as a signed-in person sees it; keys and anonymous callers are sent to sign in. */
async function orgPage(c: Case, url: string, ok: () => "ok" | "404" | "support"): Promise<void> {
  const response = await c.req.get(url, { maxRedirects: 0 });
  if (c.a.auth !== "session") return expectRedirect(c, url, response, /\/login/);
  const outcome = ok();
  if (outcome === "support") return expectRedirect(c, url, response, new RegExp(`/orgs/${c.org}/support$`));
  expectStatus(c, url, response, outcome === "ok" ? 200 : 404);
}

const eventPageOutcome = (c: Case, id: string | null): "ok" | "404" | "support" => {
  if (c.a.read === "none") return c.a.supportPage ? "support" : "404";
  return id && visible(c.org, c.a).includes(id) ? "ok" : "404";
};

/** Every route file's methods under app/, and what each caller must get from it. */
const ROUTES: Record<string, { perOrg: boolean; check: (c: Case) => Promise<void> }> = {
  "GET /api/v1/health": { perOrg: false, check: async (c) => void expectStatus(c, "health", await c.req.get("/api/v1/health"), 200) },
  "GET /api/auth/[...nextauth]": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "next-auth providers", await c.req.get("/api/auth/providers"), 200),
  },
  "POST /api/auth/[...nextauth]": {
    perOrg: false,
    // next-auth's own CSRF check: a credentials post without its token signs no one in.
    check: async (c) => {
      const response = await c.req.post("/api/auth/callback/credentials", { form: { email: SESSIONS.owner, password: "orgtrail-demo" }, maxRedirects: 0 });
      expect.soft(response.status(), `${c.label}: sign-in without the csrf token`).toBe(302);
      expect.soft(response.headers()["location"] ?? "", `${c.label}: sign-in without the csrf token`).toContain("csrf=true");
    },
  },
  "POST /api/v1/events": {
    perOrg: true,
    check: async (c) => {
      const body = { organization_id: c.org, event: { action: "matrix.ingest", occurred_at: new Date().toISOString(), actor: { type: "system", id: "matrix" }, targets: [], metadata: { run: `${world.marker}-ingest` } } };
      const expected = c.a.auth === "none" ? 401 : c.a.auth === "session" ? 403 : c.a.write ? 201 : 404;
      expectStatus(c, "ingest", await c.req.post("/api/v1/events", { data: body }), expected);
    },
  },
  "GET /api/v1/orgs/[org]/events": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events${q()}&limit=100`);
      if (!expectStatus(c, "search", response, readStatus(c.a)) || response.status() !== 200) return;
      const { data } = (await response.json()) as { data: { id: string }[] };
      expect.soft(data.map((e) => e.id).sort(), `${c.label}: search returns exactly its events`).toEqual(visible(c.org, c.a));
    },
  },
  // The stream stays open, so the probe sends a bad query: a caller who may read gets the 400 before any stream opens, others what any read gets.
  "GET /api/v1/orgs/[org]/events/live": {
    perOrg: true,
    check: async (c) => {
      const status = readStatus(c.a);
      expectStatus(c, "live events", await c.req.get(`/api/v1/orgs/${c.org}/events/live?q=${encodeURIComponent("bogus:term")}`), status === 200 ? 400 : status);
    },
  },
  "GET /api/v1/orgs/[org]/events/[id]": {
    perOrg: true,
    check: async (c) => {
      // Every known event, of this org and the others: another tenant's id is a 404 whatever the path.
      for (const event of world.events) {
        const expected = c.a.auth === "none" ? 401 : visible(c.org, c.a).includes(event.id) ? 200 : 404;
        expectStatus(c, `event ${event.org}/${event.id}`, await c.req.get(`/api/v1/orgs/${c.org}/events/${event.id}`), expected);
      }
    },
  },
  "GET /api/v1/orgs/[org]/events/facets": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events/facets${q()}`);
      if (!expectStatus(c, "facets", response, readStatus(c.a)) || response.status() !== 200) return;
      const { data } = (await response.json()) as { data: { total: { count: number }; actions: { action: string; count: number }[] } };
      const n = visible(c.org, c.a).length;
      expect.soft(data.total.count, `${c.label}: facet total counts only visible events`).toBe(n);
      // An action facet counts as if the query's own action terms were not set, so only the probes' action is exact here.
      expect.soft(data.actions.find((a) => a.action === "matrix.probe")?.count ?? 0, `${c.label}: facet counts only visible events`).toBe(n);
    },
  },
  "GET /api/v1/orgs/[org]/events/histogram": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events/histogram${q()}`);
      if (!expectStatus(c, "histogram", response, readStatus(c.a)) || response.status() !== 200) return;
      const { data } = (await response.json()) as { data: { buckets: { count: number }[] } };
      expect.soft(data.buckets.reduce((sum, b) => sum + b.count, 0), `${c.label}: histogram counts only visible events`).toBe(visible(c.org, c.a).length);
    },
  },
  "GET /api/v1/orgs/[org]/events/top": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events/top${q()}`);
      if (!expectStatus(c, "top values", response, readStatus(c.a)) || response.status() !== 200) return;
      const { data } = (await response.json()) as { data: { actors: { count: number }[]; targets: { id: string }[] } };
      expect.soft(data.actors.reduce((sum, a) => sum + a.count, 0), `${c.label}: top actors count only visible events`).toBe(visible(c.org, c.a).length);
      const named = new Set(world.events.filter((e) => visible(c.org, c.a).includes(e.id)).flatMap((e) => e.names));
      for (const target of data.targets) expect.soft(named.has(target.id), `${c.label}: top target ${target.id} is named by a visible event`).toBe(true);
    },
  },
  "GET /api/v1/orgs/[org]/verify": {
    perOrg: true,
    check: async (c) => {
      const expected = c.a.auth === "none" ? 401 : c.a.read === "all" ? 200 : c.a.read === "own" ? 403 : 404;
      expectStatus(c, "verify", await c.req.get(`/api/v1/orgs/${c.org}/verify`), expected);
    },
  },
  "GET /api/v1/orgs/[org]/events/export.csv": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events/export.csv${q()}`);
      if (!expectStatus(c, "export.csv", response, exportStatus(c.a)) || response.status() !== 200) return;
      const text = await response.text();
      const ids = world.events.filter((e) => text.includes(e.id)).map((e) => e.id).sort();
      expect.soft(ids, `${c.label}: CSV holds exactly its events`).toEqual(visible(c.org, c.a));
    },
  },
  "GET /api/v1/orgs/[org]/events/export.ndjson": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}/events/export.ndjson${q()}`);
      if (!expectStatus(c, "export.ndjson", response, exportStatus(c.a)) || response.status() !== 200) return;
      const ids = (await response.text()).split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id).sort();
      expect.soft(ids, `${c.label}: NDJSON holds exactly its events`).toEqual(visible(c.org, c.a));
    },
  },
  "GET /api/v1/orgs/[org]/exports": { perOrg: true, check: async (c) => void expectStatus(c, "list exports", await c.req.get(`/api/v1/orgs/${c.org}/exports`), exportStatus(c.a)) },
  "POST /api/v1/orgs/[org]/exports": {
    perOrg: true,
    check: async (c) => {
      const expected = exportStatus(c.a) === 200 ? 202 : exportStatus(c.a);
      expectStatus(c, "create export", await c.req.post(`/api/v1/orgs/${c.org}/exports`, { data: { q: world.marker, format: "csv" } }), expected);
    },
  },
  "GET /api/v1/orgs/[org]/exports/estimate": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "estimate", await c.req.get(`/api/v1/orgs/${c.org}/exports/estimate${q()}`), exportStatus(c.a)),
  },
  "GET /api/v1/orgs/[org]/exports/[id]": {
    perOrg: true,
    check: async (c) => {
      for (const org of ORGS) {
        const id = world.exportIds[org];
        const expected = exportStatus(c.a) === 200 && org !== c.org ? 404 : exportStatus(c.a);
        expectStatus(c, `export ${org}/${id}`, await c.req.get(`/api/v1/orgs/${c.org}/exports/${id}`), expected);
      }
    },
  },
  "GET /api/v1/orgs/[org]/exports/[id]/download": {
    perOrg: true,
    check: async (c) => {
      for (const org of ["acme", "globex"] as const) {
        // The signed link of one org's export, tried under this org's path.
        const link = world.downloadUrls[org]!.replace(`/orgs/${world.orgIds[org]}/`, `/orgs/${c.org}/`).replace(`/orgs/${org}/`, `/orgs/${c.org}/`);
        const expected = exportStatus(c.a) === 200 && org !== c.org ? 404 : exportStatus(c.a);
        expectStatus(c, `download ${org} export`, await c.req.get(link), expected);
      }
    },
  },
  "POST /audit_logs/events": {
    perOrg: true,
    check: async (c) => {
      const event = { action: "matrix.workos", occurred_at: new Date().toISOString(), actor: { type: "system", id: "matrix" }, targets: [], context: { location: "203.0.113.9" }, metadata: { run: `${world.marker}-workos` } };
      expectStatus(c, "WorkOS event", await c.req.post("/audit_logs/events", { data: { organization_id: c.org, event } }), workosStatus(c.a, 201, c.a.write));
    },
  },
  "POST /audit_logs/exports": {
    perOrg: true,
    check: async (c) => {
      const body = { organization_id: c.org, range_start: new Date(Date.now() - 3_600_000).toISOString(), range_end: new Date().toISOString(), actions: ["matrix.probe"] };
      expectStatus(c, "WorkOS export", await c.req.post("/audit_logs/exports", { data: body }), workosStatus(c.a, 201, c.a.export));
    },
  },
  "GET /audit_logs/exports/[id]": {
    perOrg: false,
    // The id names its organization: each caller is answered as in that organization.
    check: async (c) => {
      for (const org of ["acme", "globex"] as const) {
        const a = access(c.who, org);
        expectStatus(c, `WorkOS export of ${org}`, await c.req.get(`/audit_logs/exports/${world.workosExportIds[org]}`), workosStatus(a, 200, a.export));
      }
      expectStatus(c, "WorkOS export that does not exist", await c.req.get("/audit_logs/exports/audit_log_export_01GBZK5MP7TD1YCFQHFR22180V"), c.a.auth !== "key" ? 401 : 404);
    },
  },
  "GET /audit_logs/exports/[id]/download": {
    perOrg: false,
    // The signed URL is the credential, as WorkOS's is: anyone holding it gets that one file, and nothing else with it.
    check: async (c) => {
      for (const org of ["acme", "globex"] as const) {
        const url = new URL((await workosExport(world.workosExportIds[org])).url!);
        const path = `${url.pathname}${url.search}`;
        const response = await c.req.get(path);
        if (expectStatus(c, `WorkOS download of ${org}`, response, 200)) {
          const text = await response.text();
          const ids = world.events.filter((e) => text.includes(e.id)).map((e) => e.id).sort();
          expect.soft(ids, `${c.label}: the ${org} CSV holds exactly its probes`).toEqual(world.events.filter((e) => e.org === org).map((e) => e.id).sort());
        }
        const other = org === "acme" ? "globex" : "acme";
        expectStatus(c, `${org}'s signature on ${other}'s export`, await c.req.get(path.replace(world.workosExportIds[org], world.workosExportIds[other])), 403);
        expectStatus(c, `WorkOS download of ${org} with another signature`, await c.req.get(path.replace(/signature=[^&]+/, "signature=bm90LWEtc2lnbmF0dXJl")), 403);
      }
    },
  },
  "GET /audit_logs/actions": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.get("/audit_logs/actions?limit=100");
      if (!expectStatus(c, "WorkOS actions", response, c.a.auth !== "key" ? 401 : c.a.schemas ? 200 : 404) || response.status() !== 200) return;
      const names = ((await response.json()) as { data: { name: string }[] }).data.map((a) => a.name);
      expect.soft(names.filter((name) => name.startsWith("orgtrail.")), `${c.label}: Orgtrail's own actions are not the vendor's`).toEqual([]);
    },
  },
  "GET /audit_logs/actions/[action]/schemas": {
    perOrg: false,
    check: async (c) => {
      expectStatus(c, "WorkOS schemas", await c.req.get("/audit_logs/actions/user.signed_in/schemas"), c.a.auth !== "key" ? 401 : c.a.schemas ? 200 : 404);
      expectStatus(c, "WorkOS schemas of no action", await c.req.get("/audit_logs/actions/matrix.no_such_action/schemas"), c.a.auth !== "key" ? 401 : 404);
    },
  },
  "POST /audit_logs/actions/[action]/schemas": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "WorkOS schema (invalid body)", await c.req.post("/audit_logs/actions/user.signed_in/schemas", { data: {} }), c.a.auth !== "key" ? 401 : c.a.schemas ? 422 : 404),
  },
  // No demo key has retention:write (e2e/workos-sdk.spec.ts sets retention with one): every key is refused, 403 where it reads the events.
  "GET /organizations/[id]/audit_logs_retention": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "WorkOS retention", await c.req.get(`/organizations/${c.org}/audit_logs_retention`), workosStatus(c.a, 200, false)),
  },
  "PUT /organizations/[id]/audit_logs_retention": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "set WorkOS retention", await c.req.put(`/organizations/${c.org}/audit_logs_retention`, { data: { retention_period: "1_YEAR" } }), workosStatus(c.a, 200, false)),
  },
  // As POST /api/v1/portal-links: only a vendor key with portal:write, which no caller here has.
  "POST /portal/generate_link": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "WorkOS portal link", await c.req.post("/portal/generate_link", { data: { organization: "acme", intent: "audit_logs" } }), c.a.auth !== "key" ? 401 : 403),
  },
  "GET /api/v1/schemas": { perOrg: false, check: async (c) => void expectStatus(c, "list schemas", await c.req.get("/api/v1/schemas"), schemaStatus(c.a, 200)) },
  "POST /api/v1/schemas": { perOrg: false, check: async (c) => void expectStatus(c, "create schema (invalid body)", await c.req.post("/api/v1/schemas", { data: {} }), schemaStatus(c.a, 422)) },
  "GET /api/v1/schemas/[action]": { perOrg: false, check: async (c) => void expectStatus(c, "schema", await c.req.get("/api/v1/schemas/user.signed_in"), schemaStatus(c.a, 200)) },
  "GET /api/v1/schemas/[action]/versions": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "schema versions", await c.req.get("/api/v1/schemas/user.signed_in/versions"), schemaStatus(c.a, 200)),
  },
  "POST /api/v1/schemas/[action]/versions": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "new schema version (invalid body)", await c.req.post("/api/v1/schemas/user.signed_in/versions", { data: { nope: 1 } }), schemaStatus(c.a, 422)),
  },
  "GET /api/v1/schemas/[action]/versions/[version]": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "schema version", await c.req.get("/api/v1/schemas/user.signed_in/versions/1"), schemaStatus(c.a, 200)),
  },
  // The demo vendor key lacks orgs:write (lib/admin/organization-alias.test.ts covers such a key); the PATCH's body is refused, so the matrix changes no alias.
  "GET /api/v1/orgs/[org]": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/api/v1/orgs/${c.org}`);
      if (expectStatus(c, "organization", response, orgsStatus(c.a, 200)) && response.status() === 200) {
        expect.soft(((await response.json()) as { data: { slug: string } }).data.slug, `${c.label}: organization`).toBe(c.org);
      }
    },
  },
  "PATCH /api/v1/orgs/[org]": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "set alias (invalid body)", await c.req.patch(`/api/v1/orgs/${c.org}`, { data: { alias: "not-an-alias" } }), orgsStatus(c.a, 422)),
  },
  "GET /api/v1/orgs/[org]/log-streams": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(streamsPath(c));
      if (!expectStatus(c, "list log streams", response, streamStatus(c.a, "read", 200)) || response.status() !== 200) return;
      const ids = ((await response.json()) as { data: { id: string }[] }).data.map((s) => s.id);
      expect.soft(ids, `${c.label}: lists its organization's stream`).toContain(ownStream(c.org));
      expect.soft(ids, `${c.label}: lists no other organization's stream`).not.toContain(foreignStream(c.org));
    },
  },
  "POST /api/v1/orgs/[org]/log-streams": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "create log stream (invalid body)", await c.req.post(streamsPath(c), { data: { nope: 1 } }), streamStatus(c.a, "manage", 422)),
  },
  "GET /api/v1/orgs/[org]/log-streams/[id]": {
    perOrg: true,
    check: async (c) => {
      expectStatus(c, "own log stream", await c.req.get(streamsPath(c, `/${ownStream(c.org)}`)), streamStatus(c.a, "read", c.org === "vendor" ? 404 : 200));
      expectStatus(c, "another org's log stream", await c.req.get(streamsPath(c, `/${foreignStream(c.org)}`)), streamStatus(c.a, "read", 404));
    },
  },
  "PATCH /api/v1/orgs/[org]/log-streams/[id]": {
    perOrg: true,
    check: async (c) => {
      expectStatus(c, "change log stream (invalid body)", await c.req.patch(streamsPath(c, `/${ownStream(c.org)}`), { data: { nope: 1 } }), streamStatus(c.a, "manage", 422));
      expectStatus(c, "rename another org's stream", await c.req.patch(streamsPath(c, `/${foreignStream(c.org)}`), { data: { name: "renamed across tenants" } }), streamStatus(c.a, "manage", 404));
    },
  },
  "DELETE /api/v1/orgs/[org]/log-streams/[id]": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "delete another org's stream", await c.req.delete(streamsPath(c, `/${foreignStream(c.org)}`)), streamStatus(c.a, "manage", 404)),
  },
  "POST /api/v1/orgs/[org]/log-streams/[id]/pause": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "pause (invalid body)", await c.req.post(streamsPath(c, `/${ownStream(c.org)}/pause`), { data: { nope: 1 } }), streamStatus(c.a, "manage", 422)),
  },
  "POST /api/v1/orgs/[org]/log-streams/[id]/resume": {
    perOrg: true,
    // The stream is neither paused nor failing: a caller who may resume it is told so.
    check: async (c) => void expectStatus(c, "resume", await c.req.post(streamsPath(c, `/${ownStream(c.org)}/resume`)), streamStatus(c.a, "manage", 409)),
  },
  "POST /api/v1/orgs/[org]/log-streams/[id]/replay": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "replay (invalid body)", await c.req.post(streamsPath(c, `/${ownStream(c.org)}/replay`), { data: { from: "yesterday" } }), streamStatus(c.a, "replay", 422)),
  },
  "POST /api/v1/orgs/[org]/log-streams/[id]/rotate-secret": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "rotate secret", await c.req.post(streamsPath(c, `/${ownStream(c.org)}/rotate-secret`)), streamStatus(c.a, "manage", c.org === "vendor" ? 404 : 200)),
  },
  "POST /api/v1/orgs/[org]/log-streams/[id]/test": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "test event", await c.req.post(streamsPath(c, `/${ownStream(c.org)}/test`)), streamStatus(c.a, "manage", c.org === "vendor" ? 404 : 200)),
  },
  "GET /api/v1/orgs/[org]/log-streams/[id]/deliveries": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "deliveries", await c.req.get(streamsPath(c, `/${ownStream(c.org)}/deliveries`)), streamStatus(c.a, "read", c.org === "vendor" ? 404 : 200)),
  },
  "GET /api/v1/orgs/[org]/saved-searches": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(savedPath(c));
      if (!expectStatus(c, "list saved searches", response, savedStatus(c.a, 200)) || response.status() !== 200) return;
      const ids = ((await response.json()) as { data: { id: string }[] }).data.map((s) => s.id);
      // A shared search is listed to everyone who reads its organization's log, a private one to its owner only, nothing across organizations.
      expect.soft(ids.includes(world.savedIds.acmeShared), `${c.label}: lists acme's shared search`).toBe(c.org === "acme");
      expect.soft(ids.includes(world.savedIds.globexShared), `${c.label}: lists globex's shared search`).toBe(c.org === "globex");
      expect.soft(ids.includes(world.savedIds.acmePrivate), `${c.label}: lists acme's owner's private search`).toBe(acmeOwner(c));
    },
  },
  "POST /api/v1/orgs/[org]/saved-searches": {
    perOrg: true,
    check: async (c) => void expectStatus(c, "save a search (invalid body)", await c.req.post(savedPath(c), { data: { name: "" } }), savedWriteStatus(c, 422)),
  },
  "PATCH /api/v1/orgs/[org]/saved-searches/[id]": {
    perOrg: true,
    check: async (c) => {
      expectStatus(c, "rename another org's saved search", await c.req.patch(savedPath(c, `/${foreignSaved(c.org)}`), { data: { name: "renamed across tenants" } }), savedWriteStatus(c, 404));
      // Renamed to the name it has: the owner's change succeeds and leaves it as it was.
      const shared = c.org === "acme" ? savedWriteStatus(c, acmeOwner(c) ? 200 : 403) : savedWriteStatus(c, 404);
      expectStatus(c, "rename acme's shared search", await c.req.patch(savedPath(c, `/${world.savedIds.acmeShared}`), { data: { name: `Matrix shared ${world.marker}` } }), shared);
      const hidden = savedWriteStatus(c, acmeOwner(c) ? 200 : 404);
      expectStatus(c, "rename acme's owner's private search", await c.req.patch(savedPath(c, `/${world.savedIds.acmePrivate}`), { data: { name: `Matrix private ${world.marker}` } }), hidden);
    },
  },
  "DELETE /api/v1/orgs/[org]/saved-searches/[id]": {
    perOrg: true,
    check: async (c) => {
      expectStatus(c, "delete another org's saved search", await c.req.delete(savedPath(c, `/${foreignSaved(c.org)}`)), savedWriteStatus(c, 404));
      // Those who may delete these (their owner; members.manage for the shared one) are left out: the searches must outlive the run.
      if (!acmeOwner(c)) expectStatus(c, "delete acme's owner's private search", await c.req.delete(savedPath(c, `/${world.savedIds.acmePrivate}`)), savedWriteStatus(c, 404));
      if (c.org === "acme" && !c.a.manage) expectStatus(c, "delete acme's shared search", await c.req.delete(savedPath(c, `/${world.savedIds.acmeShared}`)), savedWriteStatus(c, 403));
    },
  },
  "PAGE /login": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.get("/login", { maxRedirects: 0 });
      if (c.a.auth === "session") expectRedirect(c, "/login", response, /^(https?:\/\/[^/]+)?\/$/);
      else expectStatus(c, "/login", response, 200);
    },
  },
  "PAGE /": {
    perOrg: false,
    check: async (c) => expectRedirect(c, "/", await c.req.get("/", { maxRedirects: 0 }), c.a.auth === "session" ? /\/orgs\/[^/]+\/audit-logs$/ : /\/login/),
  },
  "PAGE /orgs/[org]/audit-logs": {
    perOrg: true,
    check: (c) => orgPage(c, `/orgs/${c.org}/audit-logs`, () => (c.a.read !== "none" ? "ok" : c.a.supportPage ? "support" : "404")),
  },
  "PAGE /orgs/[org]/audit-logs/[id]": {
    perOrg: true,
    check: async (c) => {
      for (const event of world.events) await orgPage(c, `/orgs/${c.org}/audit-logs/${event.id}`, () => eventPageOutcome(c, event.id));
    },
  },
  "PAGE /orgs/[org]/support": { perOrg: true, check: (c) => orgPage(c, `/orgs/${c.org}/support`, () => (c.a.supportPage ? "ok" : "404")) },
  "PAGE /orgs/[org]/settings": {
    perOrg: true,
    check: async (c) => {
      const response = await c.req.get(`/orgs/${c.org}/settings`, { maxRedirects: 0 });
      if (c.a.auth !== "session") return expectRedirect(c, "settings", response, /\/login/);
      if (c.a.manage) return expectRedirect(c, "settings", response, new RegExp(`/orgs/${c.org}/settings/members$`));
      // An auditor's only section is the log streams.
      if (c.a.streams !== "none") return expectRedirect(c, "settings", response, new RegExp(`/orgs/${c.org}/settings/log-streams$`));
      expectStatus(c, "settings", response, 404);
    },
  },
  "PAGE /orgs/[org]/settings/members": { perOrg: true, check: (c) => orgPage(c, `/orgs/${c.org}/settings/members`, () => (c.a.manage ? "ok" : "404")) },
  "PAGE /orgs/[org]/settings/api-keys": { perOrg: true, check: (c) => orgPage(c, `/orgs/${c.org}/settings/api-keys`, () => (c.a.manage ? "ok" : "404")) },
  "PAGE /orgs/[org]/settings/retention": { perOrg: true, check: (c) => orgPage(c, `/orgs/${c.org}/settings/retention`, () => (c.a.manage ? "ok" : "404")) },
  "PAGE /orgs/[org]/settings/log-streams": { perOrg: true, check: (c) => orgPage(c, `/orgs/${c.org}/settings/log-streams`, () => (c.a.streams !== "none" ? "ok" : "404")) },
  "PAGE /orgs/[org]/settings/log-streams/[id]": {
    perOrg: true,
    check: async (c) => {
      for (const [org, id] of Object.entries(world.streamIds)) {
        await orgPage(c, `/orgs/${c.org}/settings/log-streams/${id}`, () => (c.a.streams !== "none" && org === c.org ? "ok" : "404"));
      }
    },
  },
  "PAGE /admin": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.get("/admin", { maxRedirects: 0 });
      if (c.a.auth !== "session") return expectRedirect(c, "/admin", response, /\/login/);
      if (c.a.schemas) return expectRedirect(c, "/admin", response, /\/admin\/organizations$/);
      expectStatus(c, "/admin", response, 404);
    },
  },
  // Support staff see the customer organizations here, to request access to one's log.
  "PAGE /admin/organizations": { perOrg: false, check: (c) => consolePage(c, "/admin/organizations", c.who.startsWith("vendor_support")) },
  "PAGE /admin/staff": { perOrg: false, check: (c) => consolePage(c, "/admin/staff") },
  "PAGE /admin/api-keys": { perOrg: false, check: (c) => consolePage(c, "/admin/api-keys") },
  "PAGE /admin/audit-logs": { perOrg: false, check: (c) => consolePage(c, "/admin/audit-logs") },
  "PAGE /admin/portal": { perOrg: false, check: (c) => consolePage(c, "/admin/portal") },
  // Only a vendor-wide key with portal:write makes portal links (e2e/portal.spec.ts); no caller here has that scope, and no session ever may.
  "POST /api/v1/portal-links": {
    perOrg: false,
    check: async (c) => {
      const body = { organization_id: "acme", user: { id: "u_matrix", email: "matrix@acme.test", name: "Matrix" }, role: "admin", intent: "audit_logs" };
      expectStatus(c, "portal link", await c.req.post("/api/v1/portal-links", { data: body }), c.a.auth === "none" ? 401 : 403);
    },
  },
  "POST /api/v1/portal-links/revoke": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "revoke portal links", await c.req.post("/api/v1/portal-links/revoke", { data: { organization_id: "acme", user_id: "u_matrix" } }), c.a.auth === "none" ? 401 : 403),
  },
  "POST /portal/revoke_link": {
    perOrg: false,
    check: async (c) => void expectStatus(c, "WorkOS revoke link", await c.req.post("/portal/revoke_link", { data: { organization: "acme", external_user_id: "u_matrix" } }), c.a.auth !== "key" ? 401 : 403),
  },
  // Anyone may follow a portal link; a wrong token says so, opens no session and sets no cookie.
  "GET /portal/[token]": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.get(`/portal/${"x".repeat(43)}`, { maxRedirects: 0 });
      if (expectStatus(c, "portal link", response, 404)) expect.soft(await response.text(), `${c.label}: portal link`).toContain("This portal link is not valid");
      expect.soft(response.headers()["set-cookie"], `${c.label}: portal link sets no cookie`).toBeUndefined();
    },
  },
  "POST /portal/[token]": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.post(`/portal/${"x".repeat(43)}`, { maxRedirects: 0 });
      if (expectStatus(c, "follow portal link", response, 404)) expect.soft(await response.text(), `${c.label}: follow portal link`).toContain("This portal link is not valid");
      expect.soft(response.headers()["set-cookie"], `${c.label}: following a portal link sets no cookie`).toBeUndefined();
    },
  },
  "PAGE /admin/schemas": { perOrg: false, check: (c) => consolePage(c, "/admin/schemas") },
  "PAGE /admin/schemas/new": { perOrg: false, check: (c) => consolePage(c, "/admin/schemas/new") },
  "PAGE /admin/schemas/[action]": { perOrg: false, check: (c) => consolePage(c, "/admin/schemas/user.signed_in") },
  "PAGE /admin/schemas/[action]/versions/new": { perOrg: false, check: (c) => consolePage(c, "/admin/schemas/user.signed_in/versions/new") },
  "PAGE /account": {
    perOrg: false,
    check: async (c) => {
      const response = await c.req.get("/account", { maxRedirects: 0 });
      if (c.a.auth !== "session") return expectRedirect(c, "/account", response, /\/login/);
      expectStatus(c, "/account", response, 200);
    },
  },
  "PAGE /set-password/[token]": {
    perOrg: false,
    // Anyone may open a set-password link; a wrong token says so and names no account.
    check: async (c) => {
      const response = await c.req.get("/set-password/not-a-real-token-0000000000", { maxRedirects: 0 });
      if (expectStatus(c, "set-password", response, 200)) expect.soft(await response.text(), `${c.label}: set-password`).toContain("This link is not valid");
    },
  },
  // A vendor admin exists in the demo data, so the first-run page is gone for everyone.
  "PAGE /setup": { perOrg: false, check: async (c) => void expectStatus(c, "/setup", await c.req.get("/setup?token=x", { maxRedirects: 0 }), 404) },
  "PAGE /invite/[token]": {
    perOrg: false,
    // Anyone may open an invite link; a wrong token says so and names no organization.
    check: async (c) => {
      const response = await c.req.get("/invite/not-a-real-token-0000000000", { maxRedirects: 0 });
      if (expectStatus(c, "invite", response, 200)) expect.soft(await response.text(), `${c.label}: invite`).toContain("This invite link is not valid");
    },
  },
};

/** The vendor console: vendor admins only (and support staff where `support`); other people get the 404 page, keys and strangers are sent to sign in. */
async function consolePage(c: Case, url: string, support = false): Promise<void> {
  const response = await c.req.get(url, { maxRedirects: 0 });
  if (c.a.auth !== "session") return expectRedirect(c, url, response, /\/login/);
  expectStatus(c, url, response, c.a.schemas || support ? 200 : 404);
}

/** "GET /api/v1/orgs/[org]/events", "PAGE /orgs/[org]/audit-logs", … for every route and page file under app/. */
function routesUnderApp(): { key: string; file: string }[] {
  const root = path.resolve(import.meta.dirname, "..", "app");
  const found: { key: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^(route|page)\.(ts|tsx|js|jsx)$/.test(entry.name)) {
        const file = path.relative(path.dirname(root), full).split(path.sep).join("/");
        const url = ("/" + path.relative(root, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s)).join("/")).replace(/\/$/, "") || "/";
        if (entry.name.startsWith("page")) found.push({ key: `PAGE ${url}`, file });
        else {
          const code = readFileSync(full, "utf8");
          const methods = new Set([...code.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!));
          for (const m of code.matchAll(/export\s*\{([^}]*)\}/g)) for (const n of m[1]!.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(n[1]!);
          for (const method of methods) found.push({ key: `${method} ${url}`, file });
        }
      }
    }
  };
  walk(root);
  return found;
}

async function newCaller(playwright: PlaywrightWorkerArgs["playwright"], who: Who): Promise<APIRequestContext> {
  if (who in KEYS) return playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${KEYS[who as keyof typeof KEYS]}` } });
  const request = await playwright.request.newContext({ baseURL: BASE_URL });
  if (who in SESSIONS) await apiSignIn(request, SESSIONS[who as keyof typeof SESSIONS]);
  return request;
}

async function ingestKnown(vendor: APIRequestContext, org: Org, events: { actor: string; targets: string[] }[]): Promise<Known[]> {
  const response = await vendor.post("/api/v1/events", {
    data: {
      organization_id: org,
      events: events.map((e, i) => ({
        action: "matrix.probe",
        occurred_at: new Date(Date.now() - 60_000 + i * 1000).toISOString(),
        actor: { type: "user", id: e.actor, name: `Probe ${i}` },
        targets: e.targets.map((id) => ({ type: id.startsWith("u_") ? "user" : "document", id })),
        metadata: { run: world.marker },
      })),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { data } = (await response.json()) as { data: { id: string }[] };
  return data.map((d, i) => ({ id: d.id, org, names: [events[i]!.actor, ...events[i]!.targets] }));
}

async function readyExport(vendor: APIRequestContext, org: Org): Promise<{ id: string; url: string }> {
  const created = await vendor.post(`/api/v1/orgs/${org}/exports`, { data: { q: world.marker, format: "csv" } });
  expect(created.status(), await created.text()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  let url: string | null = null;
  await expect(async () => {
    const status = (await (await vendor.get(`/api/v1/orgs/${org}/exports/${id}`)).json()) as { state: string; download_url: string | null };
    expect(status.state).toBe("ready");
    url = status.download_url;
  }).toPass({ timeout: 30_000 });
  return { id, url: new URL(url!, BASE_URL).pathname + new URL(url!, BASE_URL).search };
}

/** An export of the run's probes in `org` through the WorkOS-compatible API, once it is ready. */
async function readyWorkosExport(vendor: APIRequestContext, org: "acme" | "globex"): Promise<string> {
  const body = { organization_id: org, range_start: new Date(Date.now() - 3_600_000).toISOString(), range_end: new Date().toISOString(), actions: ["matrix.probe"] };
  const created = await vendor.post("/audit_logs/exports", { data: body });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await expect(async () => {
    const response = await vendor.get(`/audit_logs/exports/${id}`);
    expect(((await response.json()) as { state: string }).state).toBe("ready");
  }).toPass({ timeout: 30_000 });
  return id;
}

/** Opens (or re-opens) support access to acme through the support page, as the engineer would. */
async function grantSupportAccess(browser: Browser, playwright: PlaywrightWorkerArgs["playwright"], reason: string): Promise<APIRequestContext> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  await apiSignIn(context.request, SESSIONS.vendor_support);
  const page = await context.newPage();
  await page.goto("/orgs/acme/support");
  const end = page.getByRole("button", { name: "End access now" });
  if (await end.isVisible()) await end.click();
  await page.getByLabel("Reason for access").fill(reason);
  await page.getByRole("button", { name: /Open read-only access/ }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/audit-logs/);
  // A request context of its own (with the session's cookies), so disposing it later leaves the browser alone.
  const storageState = await context.storageState();
  await context.close();
  return playwright.request.newContext({ baseURL: BASE_URL, storageState });
}

async function endSupportAccess(browser: Browser): Promise<void> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  await apiSignIn(context.request, SESSIONS.vendor_support);
  const page = await context.newPage();
  await page.goto("/orgs/acme/support");
  const end = page.getByRole("button", { name: "End access now" });
  if (await end.isVisible()) {
    await end.click();
    await expect(page.getByLabel("Reason for access")).toBeVisible();
  }
  await context.close();
}

/** A log stream made by the organization's owner through the API; the server must allow private addresses (ORGTRAIL_STREAMS_ALLOW_PRIVATE=1). */
async function createStream(owner: APIRequestContext, org: "acme" | "globex"): Promise<string> {
  const response = await owner.post(`/api/v1/orgs/${org}/log-streams`, { data: { name: `Matrix ${world.marker}`, ...MATRIX_STREAM } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function saveSearch(owner: APIRequestContext, org: "acme" | "globex", name: string, shared: boolean): Promise<string> {
  const response = await owner.post(`/api/v1/orgs/${org}/saved-searches`, { data: { name, query: "action:matrix.probe", shared } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

async function withGlobexOwner<T>(playwright: PlaywrightWorkerArgs["playwright"], run: (owner: APIRequestContext) => Promise<T>): Promise<T> {
  const owner = await playwright.request.newContext({ baseURL: BASE_URL });
  await apiSignIn(owner, "owner@globex.test");
  try {
    return await run(owner);
  } finally {
    await owner.dispose();
  }
}

async function runMatrix(who: Who): Promise<void> {
  const req = world.callers[who]!;
  for (const [key, route] of Object.entries(ROUTES)) {
    for (const org of route.perOrg ? ORGS : (["acme"] as const)) {
      const a = access(who, org);
      await route.check({ who, org, a, req, label: `${key} as ${who}${route.perOrg ? ` in ${org}` : ""}` });
    }
  }
}

test("every route and page under app/ is in the access matrix", () => {
  const routes = routesUnderApp();
  const missing = routes.filter((r) => !(r.key in ROUTES));
  expect(missing.map((r) => `${r.key}  (${r.file}) is not in the access matrix: add it to ROUTES in e2e/access-matrix.spec.ts`)).toEqual([]);
  const stale = Object.keys(ROUTES).filter((key) => !routes.some((r) => r.key === key));
  expect(stale, "matrix entries for routes that no longer exist").toEqual([]);
});

// Not serial: one caller's failures must not hide the others'. After a failure the worker restarts and beforeAll runs again.
test.describe("access matrix", () => {
  // A dev server compiles each route on its first request; `npm test` runs against a built server.
  test.setTimeout(900_000);

  test.beforeAll(async ({ playwright, browser }) => {
    test.setTimeout(600_000);
    world.marker = `mx${Date.now().toString(36)}`;
    const vendor = await newCaller(playwright, "vendor_key");
    world.events = [
      ...(await ingestKnown(vendor, "acme", [
        { actor: "u_acme_member", targets: ["doc_mx"] },
        { actor: "u_acme_other", targets: ["u_acme_member"] },
        { actor: "u_acme_other", targets: ["doc_mx"] },
      ])),
      ...(await ingestKnown(vendor, "globex", [
        { actor: "u_globex_ada", targets: [] },
        { actor: "u_globex_hank", targets: ["u_acme_member"] },
      ])),
    ];
    const acme = await readyExport(vendor, "acme");
    const globex = await readyExport(vendor, "globex");
    world.exportIds = { acme: acme.id, globex: globex.id, vendor: "0190a0a0-0000-7000-8000-000000000000" };
    world.downloadUrls = { acme: acme.url, globex: globex.url, vendor: null };
    world.orgIds = { acme: acme.url.split("/")[4]!, globex: globex.url.split("/")[4]!, vendor: "" };
    world.workosExportIds = { acme: await readyWorkosExport(vendor, "acme"), globex: await readyWorkosExport(vendor, "globex") };
    await endSupportAccess(browser);
    world.callers = {};
    for (const who of WHO) world.callers[who] = await newCaller(playwright, who);
    world.streamIds = { acme: await createStream(world.callers.owner!, "acme"), globex: await withGlobexOwner(playwright, (owner) => createStream(owner, "globex")) };
    world.savedIds = {
      acmePrivate: await saveSearch(world.callers.owner!, "acme", `Matrix private ${world.marker}`, false),
      acmeShared: await saveSearch(world.callers.owner!, "acme", `Matrix shared ${world.marker}`, true),
      globexShared: await withGlobexOwner(playwright, (owner) => saveSearch(owner, "globex", `Matrix globex ${world.marker}`, true)),
    };
  });

  for (const who of WHO) {
    test(`matrix: ${who}`, async () => {
      await runMatrix(who);
    });
  }

  test("matrix: vendor_support with a support grant on acme", async ({ browser, playwright }) => {
    world.callers.vendor_support_granted = await grantSupportAccess(browser, playwright, `Matrix run ${world.marker}: checking read-only access`);
    await runMatrix("vendor_support_granted");
    await endSupportAccess(browser);
  });

  test("a cursor cannot cross organizations, filters or callers", async () => {
    const owner = world.callers.owner!;
    const page = await owner.get(`/api/v1/orgs/acme/events${q()}&limit=1`);
    const { next_cursor: cursor } = (await page.json()) as { next_cursor: string };
    expect(cursor).toBeTruthy();
    // Another org: 404, as that org's data would be.
    expect((await world.callers.vendor_key!.get(`/api/v1/orgs/globex/events${q()}&limit=1&cursor=${cursor}`)).status()).toBe(404);
    // Another filter in the same org: refused, so it cannot widen the query.
    expect((await owner.get(`/api/v1/orgs/acme/events?limit=1&cursor=${cursor}`)).status()).toBe(400);
    // The owner's cursor in a member's hands: refused, the member's scope is another result set.
    expect((await world.callers.member!.get(`/api/v1/orgs/acme/events${q()}&limit=1&cursor=${cursor}`)).status()).toBe(400);
    // A forged cursor: 400.
    expect((await owner.get(`/api/v1/orgs/acme/events${q()}&limit=1&cursor=bm90LWEtY3Vyc29y`)).status()).toBe(400);
  });

  test.afterAll(async ({ playwright }) => {
    if (world.streamIds?.acme) await world.callers.owner?.delete(`/api/v1/orgs/acme/log-streams/${world.streamIds.acme}`);
    if (world.streamIds?.globex) await withGlobexOwner(playwright, (owner) => owner.delete(`/api/v1/orgs/globex/log-streams/${world.streamIds.globex}`));
    for (const id of [world.savedIds?.acmePrivate, world.savedIds?.acmeShared]) if (id) await world.callers.owner?.delete(`/api/v1/orgs/acme/saved-searches/${id}`);
    if (world.savedIds?.globexShared) await withGlobexOwner(playwright, (owner) => owner.delete(`/api/v1/orgs/globex/saved-searches/${world.savedIds.globexShared}`));
    for (const caller of Object.values(world.callers ?? {})) await caller?.dispose();
  });
});
