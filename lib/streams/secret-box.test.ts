import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createSecretBox, SecretBoxError, streamsKey } from "./secret-box";

const BASE = { DATABASE_URL: "postgres://localhost/orgtrail", NEXTAUTH_SECRET: "s".repeat(32) };

describe("secret box", () => {
  const box = createSecretBox(randomBytes(32));

  it("round-trips secrets, with a fresh iv each time, in the versioned format", () => {
    for (const secret of ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "ünïcødé 🔑", "x".repeat(10_000)]) {
      const sealed = box.seal(secret);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(sealed.slice(3), "base64").length).toBe(12 + 16 + Buffer.byteLength(secret));
      expect(box.open(sealed)).toBe(secret);
    }
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("detects tampering with the iv, the tag or the ciphertext", () => {
    const raw = Buffer.from(box.seal("hec-token-1234").slice(3), "base64");
    for (const offset of [0, 12, 28, raw.length - 1]) {
      const altered = Buffer.from(raw);
      altered[offset]! ^= 0x01;
      expect(() => box.open(`v1:${altered.toString("base64")}`), `byte ${offset}`).toThrow(SecretBoxError);
    }
    expect(() => box.open(`v1:${raw.subarray(0, 20).toString("base64")}`)).toThrow(/truncated/);
    expect(() => box.open("hec-token-1234")).toThrow(/v1: prefix/);
  });

  it("refuses another key and other associated data", () => {
    const sealed = box.seal("dd-api-key", "stream-1");
    expect(box.open(sealed, "stream-1")).toBe("dd-api-key");
    expect(() => box.open(sealed, "stream-2")).toThrow(/altered or sealed with another key/);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
    expect(() => createSecretBox(randomBytes(32)).open(sealed, "stream-1")).toThrow(/ORGTRAIL_STREAMS_KEY/);
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("the streams key", () => {
  it("comes from ORGTRAIL_STREAMS_KEY as hex or base64", () => {
    const key = randomBytes(32);
    expect(streamsKey(parseEnv({ ...BASE, ORGTRAIL_STREAMS_KEY: key.toString("hex") }))).toEqual(key);
    expect(streamsKey(parseEnv({ ...BASE, ORGTRAIL_STREAMS_KEY: key.toString("base64") }))).toEqual(key);
    expect(streamsKey(parseEnv({ ...BASE, ORGTRAIL_STREAMS_KEY: key.toString("base64url") }))).toEqual(key);
  });

  it("is refused at startup when it is not 32 bytes", () => {
    for (const bad of ["short", randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), "z".repeat(64)]) {
      expect(() => parseEnv({ ...BASE, ORGTRAIL_STREAMS_KEY: bad }), bad).toThrow(/ORGTRAIL_STREAMS_KEY: ORGTRAIL_STREAMS_KEY must be 32 bytes/);
    }
  });

  it("is derived from NEXTAUTH_SECRET when unset: stable for one secret, different for another", () => {
    const derived = streamsKey(parseEnv({ ...BASE, ORGTRAIL_STREAMS_KEY: "" }));
    expect(derived).toHaveLength(32);
    expect(streamsKey(parseEnv(BASE))).toEqual(derived);
    expect(streamsKey(parseEnv({ ...BASE, NEXTAUTH_SECRET: "t".repeat(32) }))).not.toEqual(derived);
    const sealed = createSecretBox(derived).seal("secret");
    expect(createSecretBox(streamsKey(parseEnv(BASE))).open(sealed)).toBe("secret");
  });

  it("takes ORGTRAIL_STREAMS_ALLOW_PRIVATE as 0 or 1, 0 by default", () => {
    expect(parseEnv(BASE).ORGTRAIL_STREAMS_ALLOW_PRIVATE).toBe("0");
    expect(parseEnv({ ...BASE, ORGTRAIL_STREAMS_ALLOW_PRIVATE: "1" }).ORGTRAIL_STREAMS_ALLOW_PRIVATE).toBe("1");
    expect(() => parseEnv({ ...BASE, ORGTRAIL_STREAMS_ALLOW_PRIVATE: "yes" })).toThrow(/ORGTRAIL_STREAMS_ALLOW_PRIVATE must be 0 or 1/);
  });
});
