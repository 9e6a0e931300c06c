import "server-only";
import type { Destination } from "./destinations/config";

/** How long a webhook's previous signing secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The destination as it signs now: a webhook's previous secret is dropped once its overlap after the rotation has passed. */
export function activeSigningSecrets(destination: Destination, rotatedAt: Date | null, now = Date.now()): Destination {
  if (destination.config.type !== "webhook" || !rotatedAt || now - rotatedAt.getTime() < ROTATION_OVERLAP_MS) return destination;
  const secrets = destination.secrets as { signing_secrets: string[]; headers: Record<string, string> };
  return { config: destination.config, secrets: { ...secrets, signing_secrets: secrets.signing_secrets.slice(0, 1) } } as Destination;
}
