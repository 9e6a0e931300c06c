import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * One-time link tokens (set-password links, the first-run setup token): 32
 * random bytes, so one SHA-256 is a safe lookup hash, and only the hash is kept.
 */
export const hashOneTimeToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function generateOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOneTimeToken(token) };
}

/** A well-formed token: 43 base64url characters. Anything else is not looked up. */
export const isOneTimeToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** Compares a presented token with a stored hash in constant time. */
export function oneTimeTokenMatches(token: string, storedHash: string): boolean {
  if (!isOneTimeToken(token) || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashOneTimeToken(token), "hex"), Buffer.from(storedHash, "hex"));
}

/** A link into the app at its public address (NEXTAUTH_URL; the launcher and the CLI set it to http://localhost:$PORT when unset). */
export function appLink(path: string): string {
  return `${(env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "")}${path}`;
}
