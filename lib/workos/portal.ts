import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RequestContext } from "@/lib/auth/request-context";
import type { Principal } from "@/lib/auth/principal";
import { parseBody } from "@/lib/api/body";
import { findCustomerOrganization } from "@/lib/access/scope";
import { AppError } from "@/lib/errors";
import { createPortalLink, portalLinkInput, requirePortalLinkCaller } from "@/lib/portal/links";
import { revokeLinksInput, revokePortalLinks } from "@/lib/portal/revoke";

/*
 * POST /portal/generate_link: WorkOS's Admin Portal link as an Orgtrail portal
 * link (lib/portal). WorkOS's portal has no named user; Orgtrail signs a person
 * in, so the link's person is the `external_user_id` WorkOS lets vendors pass
 * (else one "Admin Portal" person per organization), with an address under the
 * reserved .invalid domain that no mail can reach. Intents map to the least
 * role that serves them: audit_logs → auditor (read and export), log_streams → admin.
 */

const INTENT_ROLES = { audit_logs: "auditor", log_streams: "admin" } as const;

export const generateLinkInput = z.looseObject({
  organization: z.string({ error: "is required" }).min(1, "is required").max(256),
  intent: z.string({ error: "is required" }).refine((intent) => intent in INTENT_ROLES, `Orgtrail's portal serves the intents ${Object.keys(INTENT_ROLES).join(", ")}`),
  return_url: z.string().optional(),
  external_user_id: z.string().min(1).max(256).optional(),
});

export async function generateWorkosPortalLink(principal: Principal, body: unknown, context: RequestContext): Promise<{ link: string }> {
  const key = requirePortalLinkCaller(principal);
  const input = parseBody(generateLinkInput, body);
  const intent = input.intent as keyof typeof INTENT_ROLES;
  const organization = await findCustomerOrganization(input.organization);
  const userId = input.external_user_id ?? "workos-admin-portal";
  const handle = createHash("sha256").update(`${organization.id}\n${userId}`).digest("hex").slice(0, 24);
  const request = portalLinkInput.safeParse({
    organization_id: organization.id,
    user: { id: userId, email: `admin-portal-${handle}@portal.invalid`, name: input.external_user_id ? `Admin Portal (${input.external_user_id})` : "Admin Portal" },
    role: INTENT_ROLES[intent],
    intent,
    ...(input.return_url !== undefined ? { return_url: input.return_url } : {}),
  });
  if (!request.success) {
    throw new AppError("validation_failed", "The portal link request is not valid", request.error.issues.map((issue) => ({ path: issue.path[0] === "user" ? "external_user_id" : String(issue.path[0] ?? ""), message: issue.message })));
  }
  const { link } = await createPortalLink(key, request.data, context);
  return { link };
}

export const revokeLinkInput = z.looseObject({
  organization: z.string({ error: "is required" }).min(1, "is required").max(256),
  external_user_id: z.string({ error: "is required (only links made with one can be revoked)" }).min(1, "is required").max(256),
});

/** POST /portal/revoke_link: the person's unopened links stop working and their portal sessions end (lib/portal/revoke.ts). */
export async function revokeWorkosPortalLinks(principal: Principal, body: unknown, context: RequestContext): Promise<{ success: true }> {
  const key = requirePortalLinkCaller(principal);
  const input = parseBody(revokeLinkInput, body);
  await revokePortalLinks(key, parseBody(revokeLinksInput, { organization_id: input.organization, user_id: input.external_user_id }), context);
  return { success: true };
}
