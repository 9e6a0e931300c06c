import { afterAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { eventsOf, TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { frameAncestorsSource, isOnOrigin, normalizeOrigin } from "./origins";
import { portalSessionCookie } from "./session-cookie";
import { DEFAULT_PORTAL_SETTINGS, readPortalSettings, updatePortalSettings } from "./settings";

const admin = async () => requireVendorPermission(await createVendorAdmin(), "orgs.manage");

afterAll(async () => updatePortalSettings(await admin(), DEFAULT_PORTAL_SETTINGS, TEST_CONTEXT));

describe("portal origins", () => {
  it("an origin is https://host[:port], or http on the loopback; anything else is not one", () => {
    expect(normalizeOrigin("https://App.Vendor.test/")).toBe("https://app.vendor.test");
    expect(normalizeOrigin(" https://app.vendor.test:8443 ")).toBe("https://app.vendor.test:8443");
    expect(normalizeOrigin("http://localhost:3000")).toBe("http://localhost:3000");
    expect(normalizeOrigin("http://127.0.0.1:4100")).toBe("http://127.0.0.1:4100");
    for (const bad of ["http://app.vendor.test", "https://app.vendor.test/path", "https://app.vendor.test?x=1", "https://user:pw@app.vendor.test", "javascript:alert(1)", "*", "'self'", "app.vendor.test", ""]) {
      expect(normalizeOrigin(bad), bad).toBeNull();
    }
    expect(isOnOrigin("https://app.vendor.test/a?b#c", ["https://app.vendor.test"])).toBe(true);
    expect(isOnOrigin("https://app.vendor.test.evil.test/", ["https://app.vendor.test"])).toBe(false);
    expect(frameAncestorsSource([])).toBe("'none'");
    expect(frameAncestorsSource(["https://a.test", "https://b.test; script-src *"])).toBe("https://a.test");
  });
});

describe("portal settings", () => {
  it("are saved from the console and each change is recorded in the vendor log with what changed; saving the same again records nothing", async () => {
    const actor = await admin();
    const before = (await eventsOf(await vendorOrgId(), "orgtrail.portal.settings_changed")).length;
    const saved = await updatePortalSettings(
      actor,
      { vendorName: " Acme Cloud ", logoUrl: "https://cdn.vendor.test/logo.svg", accentColor: "#FF5500", returnOrigins: ["https://app.vendor.test/", "https://app.vendor.test", ""], frameOrigins: ["http://127.0.0.1:4100"], sessionMinutes: 90 },
      TEST_CONTEXT,
    );
    expect(saved).toEqual({ vendorName: "Acme Cloud", logoUrl: "https://cdn.vendor.test/logo.svg", accentColor: "#ff5500", returnOrigins: ["https://app.vendor.test"], frameOrigins: ["http://127.0.0.1:4100"], sessionMinutes: 90 });
    expect(await readPortalSettings()).toEqual(saved);
    await updatePortalSettings(actor, saved, TEST_CONTEXT);
    const events = await eventsOf(await vendorOrgId(), "orgtrail.portal.settings_changed");
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      actor: { type: "user", id: actor.userId },
      metadata: { changed: "vendor_name, logo_url, accent_color, return_origins, frame_origins, session_minutes", frame_origins: "http://127.0.0.1:4100", session_minutes: 90 },
      ip: TEST_CONTEXT.ip,
    });
  });

  it.each([
    ["an http logo", { logoUrl: "http://cdn.vendor.test/logo.png" }, "logoUrl"],
    ["a named colour", { accentColor: "red" }, "accentColor"],
    ["a return URL instead of an origin", { returnOrigins: ["https://app.vendor.test/back"] }, "returnOrigins.0"],
    ["a wildcard frame origin", { frameOrigins: ["https://*.vendor.test"] }, "frameOrigins.0"],
    ["a session under 5 minutes", { sessionMinutes: 1 }, "sessionMinutes"],
    ["a session of 1.5 minutes", { sessionMinutes: 1.5 }, "sessionMinutes"],
    ["a vendor name of 61 characters", { vendorName: "x".repeat(61) }, "vendorName"],
  ])("%s is refused, naming the field, and nothing changes", async (_, change, path) => {
    const before = await readPortalSettings();
    const error = await updatePortalSettings(await admin(), { ...before, ...change }, TEST_CONTEXT).catch((e: unknown) => e);
    expect((error as { issues: { path: PropertyKey[] }[] }).issues.map((i) => i.path.join("."))).toContain(path);
    expect(await readPortalSettings()).toEqual(before);
  });
});

describe("proxy.ts for portal sessions", () => {
  const page = (cookie?: string) => new NextRequest("http://localhost:3000/orgs/acme/audit-logs", { headers: { host: "localhost:3000", ...(cookie ? { cookie } : {}) } });
  const cookieOf = async (frameAncestors: string[]) => (await portalSessionCookie({ sessionId: crypto.randomUUID(), userId: crypto.randomUUID(), frameAncestors, maxAgeSeconds: 600 })).split(";")[0]!;

  it("lets the allowed origins frame a portal session's pages, and no one any other page", async () => {
    const framed = (await proxy(page(await cookieOf(["http://127.0.0.1:4100", "https://app.vendor.test"])))).headers.get("content-security-policy");
    expect(framed).toContain("frame-ancestors http://127.0.0.1:4100 https://app.vendor.test");
    expect(framed).toContain("img-src 'self' blob: data: https:");
    expect((await proxy(page(await cookieOf([])))).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect((await proxy(page())).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect((await proxy(page("next-auth.session-token=forged"))).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
