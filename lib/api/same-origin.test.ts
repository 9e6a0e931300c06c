import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertSameOrigin } from "./same-origin";
import { httpStatus } from "@/lib/api/error-response";

function request(method: string, headers: Record<string, string>): Request {
  return new Request("http://localhost:3000/api/v1/orgs/acme/exports", { method, headers: { host: "orgtrail.example", ...headers } });
}

function refused(req: Request): boolean {
  try {
    assertSameOrigin(req);
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(httpStatus((error as AppError))).toBe(403);
    return true;
  }
}

describe("assertSameOrigin", () => {
  it("lets same-origin browser requests and non-browser clients through", () => {
    expect(refused(request("POST", { origin: "https://orgtrail.example", "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(refused(request("POST", { origin: "https://orgtrail.example" }))).toBe(false);
    expect(refused(request("DELETE", {}))).toBe(false);
    expect(refused(request("POST", { "sec-fetch-site": "none" }))).toBe(false);
  });

  it("refuses cross-site and same-site-but-other-origin mutations", () => {
    expect(refused(request("POST", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(refused(request("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(refused(request("PATCH", { "sec-fetch-site": "same-site" }))).toBe(true);
    expect(refused(request("POST", { origin: "null" }))).toBe(true);
    expect(refused(request("POST", { origin: "https://orgtrail.example.evil.example" }))).toBe(true);
  });

  it("compares with the forwarded host behind a proxy", () => {
    expect(refused(request("POST", { origin: "https://audit.acme.example", "x-forwarded-host": "audit.acme.example" }))).toBe(false);
    expect(refused(request("POST", { origin: "https://orgtrail.example", "x-forwarded-host": "audit.acme.example" }))).toBe(true);
  });

  it("never checks safe methods", () => {
    expect(refused(request("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBe(false);
  });
});
