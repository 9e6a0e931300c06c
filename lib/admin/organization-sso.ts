import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { ORG_ROLES, type OrgRole } from "@/db/schema";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { recordAppEvent, type AppEvent } from "@/lib/events/app-events";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { isUuid } from "@/lib/uuid";

/**
 * The single sign-on settings of a customer organization: people whose
 * verified email is at one of its domains join it with its default role when
 * they sign in through the identity provider (lib/accounts/oidc-sign-in.ts).
 */

export const MAX_SSO_DOMAINS = 20;

// A hostname of two or more labels: letters, digits and inner dashes (IDNs in their xn-- form).
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What is wrong with a (trimmed, lowercased) domain, or null. */
function domainProblem(domain: string): string | null {
  if (domain.includes("*")) return "no wildcards: list each domain (sub.example.com) on its own";
  if (domain.includes("@")) return "a domain, without the part before @ (example.com)";
  return HOSTNAME.test(domain) ? null : "must be a domain name like example.com";
}

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((domain, context) => {
    const problem = domainProblem(domain);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

export const organizationSsoInput = z.strictObject({
  domains: z
    .array(domainSchema, { error: "must be a list of domains" })
    .max(MAX_SSO_DOMAINS, `at most ${MAX_SSO_DOMAINS} domains`)
    .transform((domains) => [...new Set(domains)])
    // The whole list goes into one event metadata value.
    .refine((domains) => domains.join(", ").length <= 500, "at most 500 characters in all"),
  defaultRole: z.enum(ORG_ROLES, { error: `must be one of ${ORG_ROLES.join(", ")}` }),
});

export type OrganizationSso = { domains: string[]; defaultRole: OrgRole };

function parse(input: unknown): OrganizationSso {
  const parsed = organizationSsoInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "The single sign-on settings are not valid", zodIssues(parsed.error));
  }
  return parsed.data;
}

/**
 * Sets a customer organization's single sign-on domains and default role. A
 * domain belongs to one organization at most (checked under a lock, so two
 * admins cannot give the same domain to two organizations at once). The change
 * is recorded in the vendor log and in the organization's own log, since it
 * decides who may join it, in the same transaction.
 */
export async function setOrganizationSso(actor: VendorActor, organizationId: string, input: unknown): Promise<{ changed: boolean }> {
  const next = parse(input);
  if (!isUuid(organizationId)) throw notFound("Organization not found");
  return sql().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('orgtrail:sso-domains'))`;
    const [org] = await tx<{ kind: string; name: string; slug: string; sso_domains: string[]; sso_default_role: OrgRole }[]>`
      select kind, name, slug, sso_domains, sso_default_role from organizations where id = ${organizationId} for no key update`;
    if (!org) throw notFound("Organization not found");
    if (org.kind !== "customer") throw new AppError("validation_failed", "The vendor organization takes no members through single sign-on");
    const taken = await tx<{ domain: string; name: string; slug: string }[]>`
      select d.domain, o.name, o.slug from organizations o, unnest(o.sso_domains) as d(domain)
      where o.id <> ${organizationId} and d.domain = any(${next.domains}::text[])`;
    if (taken.length > 0) {
      throw new AppError("conflict",
        "A domain belongs to another organization",
        taken.map((t) => ({ path: `domains[${next.domains.indexOf(t.domain)}]`, message: `${t.domain} is already used by ${t.name} (${t.slug})` })),
      );
    }
    if (org.sso_default_role === next.defaultRole && org.sso_domains.join(",") === next.domains.join(",")) return { changed: false };
    await tx`update organizations set sso_domains = ${next.domains}::text[], sso_default_role = ${next.defaultRole} where id = ${organizationId}`;
    const event: AppEvent = {
      action: "orgtrail.organization.sso_changed",
      actor: actor.entity,
      targets: [{ type: "organization", id: organizationId, name: org.name }],
      metadata: { slug: org.slug, domains_from: org.sso_domains.join(", "), domains_to: next.domains.join(", "), default_role_from: org.sso_default_role, default_role_to: next.defaultRole },
    };
    await recordAppEvent(tx, organizationId, event);
    await recordAppEvent(tx, await vendorOrganizationId(tx), event);
    return { changed: true };
  });
}
