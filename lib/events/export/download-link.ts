import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

/** How long a download link works; GET /exports/{id} hands out a fresh one. */
const LINK_TTL_MS = 15 * 60 * 1000;

/** The HMAC of a signed link: its purpose, the ids it names and its expiry (Unix seconds), keyed by the app's secret. */
export function linkSignature(purpose: string, parts: readonly string[], expires: number): string {
  return createHmac("sha256", env().NEXTAUTH_SECRET).update(`${purpose}:${parts.join("/")}/${expires}`).digest("base64url");
}

/** Whether `given` is this link's signature, compared in constant time. The expiry is the caller's to check. */
export function linkSignatureMatches(purpose: string, parts: readonly string[], expires: number, given: string): boolean {
  const expected = Buffer.from(linkSignature(purpose, parts, expires));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const DOWNLOAD = "export-download";

/** A time-limited link to a finished file; it still needs a caller who may export the organization. */
export function signedDownloadPath(organization: { id: string; slug: string }, exportId: string, fileExpiresAt: Date, now = new Date()): string {
  const expires = Math.floor(Math.min(now.getTime() + LINK_TTL_MS, fileExpiresAt.getTime()) / 1000);
  const params = new URLSearchParams({ expires: String(expires), signature: linkSignature(DOWNLOAD, [organization.id, exportId], expires) });
  return `/api/v1/orgs/${encodeURIComponent(organization.slug)}/exports/${exportId}/download?${params}`;
}

export function verifyDownloadLink(organizationId: string, exportId: string, expires: string | undefined, given: string | undefined, now = new Date()): void {
  const at = Number(expires);
  if (!given || !Number.isInteger(at)) throw new AppError("forbidden", "This download link is not valid; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
  if (!linkSignatureMatches(DOWNLOAD, [organizationId, exportId], at, given)) {
    throw new AppError("forbidden", "This download link is not valid; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
  }
  if (at * 1000 <= now.getTime()) throw new AppError("forbidden", "This download link has expired; get a new one from GET /api/v1/orgs/{org}/exports/{id}");
}
