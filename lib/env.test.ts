import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const BASE = { DATABASE_URL: "postgres://localhost/orgtrail", NEXTAUTH_SECRET: "s".repeat(32) };
const OIDC = { ORGTRAIL_OIDC_ISSUER: "https://login.example.com/tenant", ORGTRAIL_OIDC_CLIENT_ID: "orgtrail", ORGTRAIL_OIDC_CLIENT_SECRET: "secret" };

describe("HTTP compression", () => {
  it("is on unless ORGTRAIL_HTTP_COMPRESSION is 0, and refuses any other value", () => {
    expect(parseEnv(BASE).ORGTRAIL_HTTP_COMPRESSION).toBe("1");
    expect(parseEnv({ ...BASE, ORGTRAIL_HTTP_COMPRESSION: "0" }).ORGTRAIL_HTTP_COMPRESSION).toBe("0");
    expect(() => parseEnv({ ...BASE, ORGTRAIL_HTTP_COMPRESSION: "off" })).toThrow(/ORGTRAIL_HTTP_COMPRESSION must be 0 or 1/);
  });
});

describe("single sign-on environment", () => {
  it("is off when none of the three is set (or they are empty), on when all three are, with a default button label", () => {
    const oidcOf = (env: ReturnType<typeof parseEnv>) => [env.ORGTRAIL_OIDC_ISSUER, env.ORGTRAIL_OIDC_CLIENT_ID, env.ORGTRAIL_OIDC_CLIENT_SECRET, env.ORGTRAIL_OIDC_NAME];
    expect(oidcOf(parseEnv(BASE))).toEqual([undefined, undefined, undefined, "Single sign-on"]);
    expect(oidcOf(parseEnv({ ...BASE, ORGTRAIL_OIDC_ISSUER: "", ORGTRAIL_OIDC_CLIENT_ID: "", ORGTRAIL_OIDC_CLIENT_SECRET: "", ORGTRAIL_OIDC_NAME: "" }))).toEqual([undefined, undefined, undefined, "Single sign-on"]);
    expect(parseEnv({ ...BASE, ...OIDC, ORGTRAIL_OIDC_NAME: " Okta " })).toMatchObject({ ...OIDC, ORGTRAIL_OIDC_NAME: "Okta" });
  });

  it("refuses to start with only some of the three, naming what is missing", () => {
    expect(() => parseEnv({ ...BASE, ORGTRAIL_OIDC_ISSUER: OIDC.ORGTRAIL_OIDC_ISSUER, ORGTRAIL_OIDC_CLIENT_ID: "orgtrail" })).toThrow(
      /ORGTRAIL_OIDC_CLIENT_SECRET: single sign-on needs ORGTRAIL_OIDC_ISSUER, ORGTRAIL_OIDC_CLIENT_ID, ORGTRAIL_OIDC_CLIENT_SECRET together: ORGTRAIL_OIDC_CLIENT_SECRET is not set/,
    );
    expect(() => parseEnv({ ...BASE, ORGTRAIL_OIDC_CLIENT_SECRET: "secret" })).toThrow(/ORGTRAIL_OIDC_ISSUER, ORGTRAIL_OIDC_CLIENT_ID are not set/);
  });

  it("takes an https issuer, or http only on this machine", () => {
    for (const issuer of ["http://localhost:8080/realms/acme", "http://127.0.0.1:4000", "http://[::1]:4000"]) expect(parseEnv({ ...BASE, ...OIDC, ORGTRAIL_OIDC_ISSUER: issuer }).ORGTRAIL_OIDC_ISSUER).toBe(issuer);
    for (const issuer of ["http://login.example.com", "login.example.com", "https://login.example.com/?tenant=1", "ftp://login.example.com"]) {
      expect(() => parseEnv({ ...BASE, ...OIDC, ORGTRAIL_OIDC_ISSUER: issuer }), issuer).toThrow(/ORGTRAIL_OIDC_ISSUER/);
    }
  });
});
