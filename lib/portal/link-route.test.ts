import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg } from "@/db/testing/fixtures";
import { createPortalKey, tokenOf } from "@/db/testing/portal-fixtures";
import { GET, POST } from "@/app/portal/[token]/route";
import { hashOneTimeToken } from "@/lib/auth/one-time-link";
import { createPortalLink, portalLinkInput } from "./links";

/*
 * GET /portal/{token} spends nothing: it answers a page that posts the link, so
 * a link preview (Slack, mail scanners) that fetches the URL leaves it whole.
 * POST, from that page only, follows it.
 */

async function newLink(): Promise<string> {
  const org = await createOrg();
  const { principal } = await createPortalKey();
  const person = crypto.randomUUID().slice(0, 8);
  const input = portalLinkInput.parse({ organization_id: org.id, user: { id: `u_${person}`, email: `p-${person}@customer.test`, name: "Pat" }, role: "auditor", intent: "audit_logs" });
  return tokenOf((await createPortalLink(principal, input, { ip: null, userAgent: null })).link);
}

const params = (token: string) => ({ params: Promise.resolve({ token }) });
const usedAt = async (token: string) => (await sql()<{ used_at: Date | null }[]>`select used_at from portal_links where token_hash = ${hashOneTimeToken(token)}`)[0]!.used_at;
const post = (token: string, headers: Record<string, string>) => POST(new Request(`http://app.test/portal/${token}`, { method: "POST", headers: { host: "app.test", ...headers } }), params(token));

describe("GET and POST /portal/{token}", () => {
  it("GET answers a page that posts the link, and spends nothing however often it is fetched", async () => {
    const token = await newLink();
    for (let i = 0; i < 3; i++) {
      const page = await GET(new Request(`http://app.test/portal/${token}`), params(token));
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`<form id="continue" method="post" action="/portal/${token}">`);
      const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
      expect(html).toContain(`<script nonce="${nonce}">`);
      expect(page.headers.get("set-cookie")).toBeNull();
    }
    expect(await usedAt(token)).toBeNull();
  });

  it("POST from the page follows it once: a cookie and a redirect, then the page and the post both say it was used", async () => {
    const token = await newLink();
    const followed = await post(token, { origin: "http://app.test", "sec-fetch-site": "same-origin" });
    expect(followed.status).toBe(303);
    expect(followed.headers.get("location")).toMatch(/^\/orgs\/[^/]+\/audit-logs$/);
    expect(followed.headers.get("set-cookie")).toMatch(/Partitioned/);
    expect(await usedAt(token)).not.toBeNull();
    expect((await GET(new Request(`http://app.test/portal/${token}`), params(token))).status).toBe(410);
    const again = await post(token, { origin: "http://app.test" });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("a post from another site is refused and spends nothing; an unknown token is a 404 either way", async () => {
    const token = await newLink();
    const forged = await post(token, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect(await usedAt(token)).toBeNull();
    const unknown = "A".repeat(43);
    expect((await GET(new Request(`http://app.test/portal/${unknown}`), params(unknown))).status).toBe(404);
    expect((await post(unknown, { origin: "http://app.test" })).status).toBe(404);
  });
});
