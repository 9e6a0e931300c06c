import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { refuseForeignMutation, strictTransportSecurity } from "./proxy-guards";

const HSTS = "max-age=63072000; includeSubDomains";

function pageRequest(method: string, headers: Record<string, string>): NextRequest {
  return new NextRequest("http://orgtrail.example/orgs/acme/settings/api-keys", { method, headers: { host: "orgtrail.example", ...headers } });
}

const action = { "next-action": "7f00aa", "content-type": "text/plain;charset=UTF-8" };

describe("strictTransportSecurity", () => {
  it("is sent for an https public URL, not for http or none", () => {
    expect(strictTransportSecurity("https://audit.example.com")).toBe(HSTS);
    expect(strictTransportSecurity("HTTPS://audit.example.com/")).toBe(HSTS);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
    expect(strictTransportSecurity("not a url")).toBeNull();
  });
});

describe("refuseForeignMutation", () => {
  it("refuses a server action from another origin with a 403 and the error JSON", async () => {
    for (const origin of ["https://evil.example", "null", "https://orgtrail.example.evil.example", "::not a url"]) {
      const response = refuseForeignMutation(pageRequest("POST", { ...action, origin }));
      expect(response?.status).toBe(403);
      expect(((await response!.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    expect(refuseForeignMutation(pageRequest("POST", { ...action, "sec-fetch-site": "cross-site" }))?.status).toBe(403);
    expect(refuseForeignMutation(pageRequest("POST", { "content-type": "multipart/form-data; boundary=x", origin: "https://evil.example" }))?.status).toBe(403);
  });

  it("lets same-origin actions, reads and non-browser clients through", () => {
    expect(refuseForeignMutation(pageRequest("POST", { ...action, origin: "http://orgtrail.example", "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(refuseForeignMutation(pageRequest("POST", { ...action, origin: "https://audit.acme.example", "x-forwarded-host": "audit.acme.example" }))).toBeNull();
    expect(refuseForeignMutation(pageRequest("POST", action))).toBeNull();
    expect(refuseForeignMutation(pageRequest("GET", { origin: "https://evil.example" }))).toBeNull();
  });
});

describe("proxy", () => {
  const publicUrl = process.env.NEXTAUTH_URL;
  afterEach(() => {
    if (publicUrl === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = publicUrl;
  });

  it("answers a foreign-origin server action with 403 before Next handles it", async () => {
    expect((await proxy(pageRequest("POST", { ...action, origin: "https://evil.example" }))).status).toBe(403);
    expect((await proxy(pageRequest("POST", { ...action, origin: "http://orgtrail.example" }))).status).toBe(200);
  });

  it("sends Strict-Transport-Security only when the public URL is https", async () => {
    process.env.NEXTAUTH_URL = "https://orgtrail.example";
    expect((await proxy(pageRequest("GET", {}))).headers.get("strict-transport-security")).toBe(HSTS);
    expect((await proxy(pageRequest("POST", { ...action, origin: "https://evil.example" }))).headers.get("strict-transport-security")).toBe(HSTS);
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    expect((await proxy(pageRequest("GET", {}))).headers.get("strict-transport-security")).toBeNull();
  });
});
