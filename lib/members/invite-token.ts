import { createHash, randomBytes } from "node:crypto";

/** How long an invite link stays valid. */
export const INVITE_TTL_DAYS = 7;

/** An invite token is 32 random bytes: one SHA-256 is a safe lookup hash, and only the hash is stored. */
export const hashInviteToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function generateInviteToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashInviteToken(token) };
}

/** The path a person opens to accept an invite; the token appears nowhere else. */
export const invitePath = (token: string): string => `/invite/${token}`;

/** A well-formed token: 43 base64url characters. Anything else is not looked up. */
export const isInviteToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
