import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

/** How long a download link works; GET /exports/{id} hands out a fresh one. */
const LINK_TTL_MS = 15 * 60 * 1000;

function signature(organizationId: string, exportId: string, expires: number): string {
  return createHmac("sha256", env().NEXTAUTH_SECRET).update(`export-download:${organizationId}/${exportId}/${expires}`).digest("base64url");
}

/** A time-limited link to a finished file; it still needs a caller who may export the organization. */
export function signedDownloadPath(organization: { id: string; slug: string }, exportId: string, fileExpiresAt: Date, now = new Date()): string {
  const expires = Math.floor(Math.min(now.getTime() + LINK_TTL_MS, fileExpiresAt.getTime()) / 1000);
  const params = new URLSearchParams({ expires: String(expires), signature: signature(organization.id, exportId, expires) });
  return `/api/v1/orgs/${encodeURIComponent(organization.slug)}/exports/${exportId}/download?${params}`;
}

export function verifyDownloadLink(organizationId: string, exportId: string, expires: string | undefined, given: string | undefined, now = new Date()): void {
  const at = Number(expires);
  if (!given || !Number.isInteger(at)) throw new AppError("forbidden", "This download link is not valid; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
  const expected = Buffer.from(signature(organizationId, exportId, at));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AppError("forbidden", "This download link is not valid; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
  }
  if (at * 1000 <= now.getTime()) throw new AppError("forbidden", "This download link has expired; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
}
