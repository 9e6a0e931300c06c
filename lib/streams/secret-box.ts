import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env, type Env } from "@/lib/env";

/*
 * Log-stream secrets (webhook signing secrets, HEC tokens, Datadog API keys) are
 * stored sealed with AES-256-GCM. A sealed value is `v1:` + base64(iv | tag |
 * ciphertext); the version leaves room for another algorithm or key later.
 *
 * The key is ORGTRAIL_STREAMS_KEY (32 bytes, hex or base64). When it is unset the
 * key is derived from NEXTAUTH_SECRET with HKDF-SHA256 (salt and info below), so
 * a deployment works without a new variable; rotating NEXTAUTH_SECRET then makes
 * the stored stream secrets unreadable, which is why a separate key is better.
 */

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HKDF_SALT = "orgtrail/log-streams";
const HKDF_INFO = "orgtrail log-stream secrets v1";

export type SecretBox = {
  /** Encrypts `plaintext`; `associatedData` (a stream id, say) must be given again to open it. */
  seal(plaintext: string, associatedData?: string): string;
  /** Decrypts a sealed value; throws when it was altered, sealed with another key, or with other associated data. */
  open(sealed: string, associatedData?: string): string;
};

/** Thrown when a sealed secret cannot be opened: wrong key, tampered or not a sealed value. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** The key log-stream secrets are sealed with: ORGTRAIL_STREAMS_KEY, else derived from NEXTAUTH_SECRET. */
export function streamsKey(values: Pick<Env, "ORGTRAIL_STREAMS_KEY" | "NEXTAUTH_SECRET"> = env()): Buffer {
  if (values.ORGTRAIL_STREAMS_KEY) return values.ORGTRAIL_STREAMS_KEY;
  return Buffer.from(hkdfSync("sha256", values.NEXTAUTH_SECRET, HKDF_SALT, HKDF_INFO, KEY_BYTES));
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`a secret box key is ${KEY_BYTES} bytes, got ${key.length}`);
  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
    },
    open(sealed, associatedData) {
      if (!sealed.startsWith(VERSION)) throw new SecretBoxError("not a sealed secret (expected the v1: prefix)");
      const raw = Buffer.from(sealed.slice(VERSION.length), "base64");
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError("sealed secret is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, "utf8"));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretBoxError("sealed secret cannot be opened: it was altered or sealed with another key (check ORGTRAIL_STREAMS_KEY)");
      }
    },
  };
}

let box: SecretBox | undefined;

/** The secret box keyed from the environment. */
export function streamSecretBox(): SecretBox {
  box ??= createSecretBox(streamsKey());
  return box;
}
