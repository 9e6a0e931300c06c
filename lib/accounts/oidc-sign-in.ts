import "server-only";
import type { TransactionSql } from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import type { OrgRole } from "@/db/schema";
import { isStorableText } from "@/lib/storable-text";
import { userEntity } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import { recordUserEvent } from "./sign-in-events";

/** Why a single sign-on is refused: the login page's `?error=` code (components/login-form.tsx words it). */
export type OidcRefusal = "OidcEmailUnverified" | "OidcNotAllowed";

export type OidcSignInResult = { ok: true; userId: string } | { ok: false; refusal: OidcRefusal };

const email = z.string().trim().toLowerCase().max(320).pipe(z.email()).refine(isStorableText);
const text = z.string().trim().refine(isStorableText).catch("");

/** The identity provider's claims as Orgtrail reads them; anything else it sends (roles, groups) is ignored. */
const claimsSchema = z.object({
  email: email.optional().catch(undefined),
  email_verified: z.unknown(),
  name: text.optional(),
  given_name: text.optional(),
  family_name: text.optional(),
  preferred_username: text.optional(),
});

type Account = { id: string; name: string; email: string; platform_role: string | null };

/** A display name for a new account: the profile's name, else given and family name, else the email's local part. */
function nameFrom(claims: z.infer<typeof claimsSchema>, address: string): string {
  const full = claims.name || [claims.given_name, claims.family_name].filter(Boolean).join(" ") || claims.preferred_username || address.split("@")[0]!;
  return Array.from(full).slice(0, 200).join("");
}

/**
 * A sign-in through the identity provider, after next-auth validated its
 * id_token. The account is found by its verified email; a person without one
 * gets an account only if their email's domain belongs to a customer
 * organization (`sso_domains`), and joins each such organization with its
 * `sso_default_role`. An existing customer account also joins the matching
 * organizations it is not in yet: the domain says who belongs there, whoever
 * was first. Vendor staff never join customer organizations this way (they
 * reach a customer's log through audited support access), and a staff role
 * only ever comes from our database, never from the identity provider.
 * Account, memberships, their `orgtrail.member.joined` events and the
 * `orgtrail.user.signed_in` event commit together; a refusal writes nothing.
 */
export async function signInWithOidc(rawClaims: unknown, context: RequestContext): Promise<OidcSignInResult> {
  const claims = claimsSchema.safeParse(rawClaims ?? {});
  if (!claims.success || claims.data.email_verified !== true || !claims.data.email) return { ok: false, refusal: "OidcEmailUnverified" };
  const address = claims.data.email;
  const domain = address.slice(address.lastIndexOf("@") + 1);

  return sql().begin(async (tx) => {
    let [account] = await tx<Account[]>`select id, name, email, platform_role from users where email = ${address}`;
    const organizations = account?.platform_role ? [] : await organizationsToJoin(tx, domain, account?.id ?? null);
    if (!account && organizations.length === 0) return { ok: false, refusal: "OidcNotAllowed" } as const;

    let newAccount = false;
    if (!account) {
      [account] = await tx<Account[]>`
        insert into users (email, name) values (${address}, ${nameFrom(claims.data, address)})
        on conflict (email) do nothing returning id, name, email, platform_role`;
      newAccount = account !== undefined;
      // A sign-in of the same person a moment earlier created it: carry on with theirs.
      account ??= (await tx<Account[]>`select id, name, email, platform_role from users where email = ${address}`)[0]!;
    }
    for (const organization of organizations) {
      const joined = await tx`
        insert into memberships (organization_id, user_id, role) values (${organization.id}, ${account.id}, ${organization.role})
        on conflict (organization_id, user_id) do nothing returning user_id`;
      if (joined.length === 0) continue;
      const member = userEntity(account, null);
      await recordAppEvent(tx, organization.id, {
        action: "orgtrail.member.joined",
        actor: member,
        targets: [member],
        metadata: { role: organization.role, new_account: newAccount, method: "oidc" },
        ...context,
      });
    }
    await recordUserEvent(tx, account.id, "orgtrail.user.signed_in", context, { method: "oidc" });
    return { ok: true, userId: account.id } as const;
  });
}

/** The customer organizations that take people of this email domain and that the user (if any) is not a member of yet. */
async function organizationsToJoin(tx: TransactionSql, domain: string, userId: string | null): Promise<{ id: string; role: OrgRole }[]> {
  return tx<{ id: string; role: OrgRole }[]>`
    select o.id, o.sso_default_role as role from organizations o
    where o.kind = 'customer' and ${domain} = any(o.sso_domains)
      and not exists (select 1 from memberships m where m.organization_id = o.id and m.user_id = ${userId})
    order by o.created_at`;
}
