import { randomUUID } from "node:crypto";
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import type { OrgRole } from "@/db/schema";
import { eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { apiStatus, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { SESSION_COOKIE, type CookieJar } from "@/db/testing/next-auth-driver";
import { signInWithOidc, startTestIdp, type IdpAccount, type TestIdp } from "@/db/testing/oidc-idp";
import { race } from "@/db/testing/race";
import { vendorOrgId } from "@/db/testing/vendor-fixtures";
import { resolveOrgScope } from "@/lib/access/scope";
import { searchEvents } from "@/lib/events/search";
import { oidcSettings } from "@/lib/auth/oidc-config";
import { userOfSessionCookies } from "@/lib/auth/principal";

/**
 * Single sign-on end to end: next-auth's real route handlers against a real
 * OpenID Connect provider (oidc-provider) on a loopback port, with the
 * authorization endpoint, the code exchange with the client secret, id_token
 * validation against the provider's keys and the userinfo endpoint.
 */

let idp: TestIdp;
const OIDC_ENV = ["ORGTRAIL_OIDC_ISSUER", "ORGTRAIL_OIDC_CLIENT_ID", "ORGTRAIL_OIDC_CLIENT_SECRET"] as const;

beforeAll(async () => {
  idp = await startTestIdp();
  // Before anything reads the environment: lib/env.ts reads it once.
  Object.assign(process.env, { ORGTRAIL_OIDC_ISSUER: idp.issuer, ORGTRAIL_OIDC_CLIENT_ID: idp.clientId, ORGTRAIL_OIDC_CLIENT_SECRET: idp.clientSecret });
  expect(oidcSettings()).toEqual({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Single sign-on" });
});

afterAll(async () => {
  for (const name of OIDC_ENV) delete process.env[name];
  await idp?.close();
});

const newDomain = () => `sso-${randomUUID().slice(0, 8)}.test`;

async function ssoOrg(domains: string[], role: OrgRole = "member") {
  const org = await createOrg();
  await sql()`update organizations set sso_domains = ${domains}::text[], sso_default_role = ${role} where id = ${org.id}`;
  return org;
}

/** An account at the identity provider; returns its subject, which the test signs in as. */
function idpAccount(claims: Omit<IdpAccount, "sub">): string {
  const sub = `sub-${randomUUID()}`;
  idp.accounts.set(sub, { sub, ...claims });
  return sub;
}

async function signIn(sub: string): Promise<{ jar: CookieJar; landing: URL }> {
  const jar: CookieJar = {};
  const landing = await signInWithOidc(jar, sub);
  return { jar, landing };
}

async function sessionRowOf(jar: CookieJar) {
  const token = await decode({ token: jar[SESSION_COOKIE], secret: process.env.NEXTAUTH_SECRET! });
  const [row] = await sql()<{ user_id: string; method: string }[]>`select user_id, method from sessions where id = ${token!.sid!}`;
  return row;
}

async function userByEmail(email: string) {
  const [row] = await sql()<{ id: string; name: string; password_hash: string | null; platform_role: string | null }[]>`
    select id, name, password_hash, platform_role from users where email = ${email}`;
  return row;
}

async function membershipsOf(userId: string) {
  return sql()<{ organization_id: string; role: string }[]>`select organization_id, role from memberships where user_id = ${userId} order by organization_id`;
}

/** Rows that any sign-in could write. */
async function totals() {
  const [row] = await sql()`
    select (select count(*) from users) as users, (select count(*) from memberships) as memberships,
      (select count(*) from sessions) as sessions, (select count(*) from audit_events) as events`;
  return row;
}

const refusal = (landing: URL) => `${landing.pathname}?${landing.searchParams}`;

describe("single sign-on through a real OpenID Connect provider", () => {
  it("a person at an organization's domain gets an account without a password, joins with its default role and reads its log", async () => {
    const domain = newDomain();
    const org = await ssoOrg([domain], "auditor");
    const elsewhere = await ssoOrg([newDomain()]);
    const email = `ada.lovelace@${domain}`;
    const sub = idpAccount({ email: `Ada.Lovelace@${domain.toUpperCase()}`, email_verified: true, name: "Ada Lovelace" });
    const seen = idp.requests.length;

    const { jar, landing } = await signIn(sub);
    expect(landing.href).toBe("http://localhost:3000/");
    const principal = await userOfSessionCookies(jar);
    expect(principal).toMatchObject({ email, name: "Ada Lovelace", platformRole: null });

    const account = await userByEmail(email);
    expect(account).toMatchObject({ id: principal!.userId, name: "Ada Lovelace", password_hash: null, platform_role: null });
    expect(await membershipsOf(account!.id)).toEqual([{ organization_id: org.id, role: "auditor" }]);
    const scope = await resolveOrgScope(principal!, org.slug);
    expect(scope.role).toBe("auditor");
    const page = await searchEvents(scope, { q: "action:orgtrail.member.joined", limit: 10, order: "desc" });
    expect(page.data).toHaveLength(1);
    expect(await apiStatus(resolveOrgScope(principal!, elsewhere.slug))).toBe(404);

    expect(await sessionRowOf(jar)).toEqual({ user_id: account!.id, method: "oidc" });
    const member = { type: "user", id: account!.id, name: "Ada Lovelace", metadata: { email } };
    expect(await eventsOf(org.id, "orgtrail.member.joined")).toMatchObject([
      { actor: member, targets: [member], metadata: { role: "auditor", new_account: true, method: "oidc" }, ip: "203.0.113.50", user_agent: "vitest" },
    ]);
    expect(await eventsOf(org.id, "orgtrail.user.signed_in")).toMatchObject([{ actor: member, metadata: { method: "oidc" }, ip: "203.0.113.50", user_agent: "vitest" }]);

    // What went over the wire: the authorization request with PKCE, state and nonce, then the code exchange with the client secret, the keys for the id_token, userinfo.
    const flow = idp.requests.slice(seen).filter((r) => !r.path.startsWith("/.well-known/"));
    expect(flow.map((r) => `${r.method} ${r.path.replace(/\/[^/]{16,}$/, "/:uid")} ${r.status}`)).toEqual([
      "GET /auth 303",
      "GET /interaction/:uid 303",
      "GET /auth/:uid 303",
      "POST /token 200",
      "GET /jwks 200",
      "GET /me 200",
    ]);
    expect(flow[0]!.query).toMatchObject({ client_id: idp.clientId, scope: "openid email profile", response_type: "code", code_challenge_method: "S256", login_hint: sub });
    expect(flow[0]!.query).toHaveProperty("nonce");
    expect(flow[0]!.query).toHaveProperty("state");
    expect(flow[3]!.authorization).toBe(`Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString("base64")}`);
  });

  it("an email the identity provider has not verified is refused, and nothing is written", async () => {
    const domain = newDomain();
    const org = await ssoOrg([domain]);
    const before = await totals();
    for (const claims of [{ email: `unverified@${domain}`, email_verified: false }, { email: `stringly@${domain}`, email_verified: "true" }, { email_verified: true }]) {
      const { jar, landing } = await signIn(idpAccount({ ...claims, name: "Eve" }));
      expect(refusal(landing), JSON.stringify(claims)).toBe("/login?error=OidcEmailUnverified");
      expect(jar[SESSION_COOKIE]).toBeUndefined();
    }
    expect(await totals()).toEqual(before);
    expect(await userByEmail(`unverified@${domain}`)).toBeUndefined();
    expect(await eventsOf(org.id, "orgtrail.user.signed_in")).toEqual([]);
  });

  it("an email at no organization's domain is refused with the generic message, and nothing is written", async () => {
    await ssoOrg([newDomain()]);
    const before = await totals();
    const { jar, landing } = await signIn(idpAccount({ email: `stranger@${newDomain()}`, email_verified: true, name: "Stranger" }));
    expect(refusal(landing)).toBe("/login?error=OidcNotAllowed");
    expect(jar[SESSION_COOKIE]).toBeUndefined();
    expect(await totals()).toEqual(before);
  });

  it("an existing vendor admin signs in and keeps their platform role, whatever the identity provider claims; staff never join a customer by domain", async () => {
    const domain = newDomain();
    const customer = await ssoOrg([domain], "owner");
    const staff = await setPlatformRole(await createUser(null, null), "vendor_admin");
    const email = `staff-admin@${domain}`;
    await sql()`update users set email = ${email} where id = ${staff.userId}`;
    const sub = idpAccount({ email, email_verified: true, name: "Someone Else", platform_role: "vendor_support", roles: ["vendor_support"] });

    const { jar } = await signIn(sub);
    expect(await userOfSessionCookies(jar)).toMatchObject({ userId: staff.userId, email, name: "Test User", platformRole: "vendor_admin" });
    expect(await userByEmail(email)).toMatchObject({ platform_role: "vendor_admin", password_hash: "x" });
    expect(await membershipsOf(staff.userId)).toEqual([]);
    expect(await eventsOf(customer.id, "orgtrail.member.joined")).toEqual([]);
    expect(await sessionRowOf(jar)).toEqual({ user_id: staff.userId, method: "oidc" });
    const signedIn = (await eventsOf(await vendorOrgId(), "orgtrail.user.signed_in")).filter((e) => e.actor.id === staff.userId);
    expect(signedIn).toMatchObject([{ metadata: { method: "oidc" } }]);
  });

  it("an existing customer joins the organizations of their domain they are not in yet, keeps their roles elsewhere, and the next sign-in adds nothing", async () => {
    const domain = newDomain();
    const own = await createOrg();
    const user = await createUser(own.id, "owner", "u_existing");
    const email = `existing@${domain}`;
    await sql()`update users set email = ${email} where id = ${user.userId}`;
    const org = await ssoOrg([domain], "member");
    const sub = idpAccount({ email, email_verified: true, name: "Renamed By IdP" });

    await signIn(sub);
    expect(await membershipsOf(user.userId)).toEqual(
      [
        { organization_id: own.id, role: "owner" },
        { organization_id: org.id, role: "member" },
      ].sort((a, b) => a.organization_id.localeCompare(b.organization_id)),
    );
    expect(await eventsOf(org.id, "orgtrail.member.joined")).toMatchObject([{ metadata: { role: "member", new_account: false, method: "oidc" } }]);
    expect(await eventsOf(own.id, "orgtrail.user.signed_in")).toMatchObject([{ actor: { id: "u_existing" }, metadata: { method: "oidc" } }]);
    expect(await userByEmail(email)).toMatchObject({ name: "Test User" });

    await signIn(sub);
    expect(await eventsOf(org.id, "orgtrail.member.joined")).toHaveLength(1);
    expect(await eventsOf(org.id, "orgtrail.user.signed_in")).toHaveLength(2);
  });

  it("account, membership and events commit together: when an event cannot be written, nothing is and the page says so without internals", async () => {
    const domain = newDomain();
    const org = await ssoOrg([domain]);
    const before = await totals();
    const sub = idpAccount({ email: `atomic@${domain}`, email_verified: true, name: "Atomic" });
    const { jar, landing } = await withFailingWrites("audit_events", "insert", org.id, () => signIn(sub));
    expect(refusal(landing)).toBe("/login?error=SignInUnavailable");
    expect(jar[SESSION_COOKIE]).toBeUndefined();
    expect(await totals()).toEqual(before);
  });

  it("two first sign-ins of one person at once make one account and one membership", async () => {
    const domain = newDomain();
    const org = await ssoOrg([domain], "admin");
    const sub = idpAccount({ email: `twice@${domain}`, email_verified: true, name: "Twice" });
    // Holding the organization's row keeps the first from committing until the second has looked for the account too.
    const results = await race((tx) => tx`select 1 from organizations where id = ${org.id} for update`, [() => signIn(sub), () => signIn(sub)]);
    const account = await userByEmail(`twice@${domain}`);
    for (const result of results) {
      expect(result.status).toBe("fulfilled");
      if (result.status === "fulfilled") expect((await userOfSessionCookies(result.value.jar))?.userId).toBe(account!.id);
    }
    expect(await membershipsOf(account!.id)).toEqual([{ organization_id: org.id, role: "admin" }]);
    expect(await eventsOf(org.id, "orgtrail.member.joined")).toHaveLength(1);
    expect(await eventsOf(org.id, "orgtrail.user.signed_in")).toHaveLength(2);
  });
});
