import { describe, expect, it } from "vitest";
import { GET, POST, PUT } from "@/app/api/v1/orgs/[org]/saved-searches/route";
import { DELETE, PATCH } from "@/app/api/v1/orgs/[org]/saved-searches/[id]/route";
import { createKey, createOrg } from "@/db/testing/fixtures";

const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

function request(method: string, secret: string, path: string, body?: string, contentType = "application/json"): Request {
  return new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { "content-type": contentType } : {}) }, body });
}

describe("/api/v1/orgs/{org}/saved-searches over HTTP", () => {
  it("a key that reads the log gets 403 on every method, before its body is even read; one that cannot read gets 404", async () => {
    const org = await createOrg("ssr");
    const reader = await createKey(org.id, ["events:read"]);
    const ingest = await createKey(org.id, ["events:write"]);
    const elsewhere = await createKey((await createOrg("ssr")).id, ["events:read"]);
    const path = `/api/v1/orgs/${org.slug}/saved-searches`;
    const id = "0190a0a0-0000-7000-8000-000000000000";
    const calls = (secret: string) => [
      GET(request("GET", secret, path), params({ org: org.slug })),
      POST(request("POST", secret, path, "not json at all", "text/plain"), params({ org: org.slug })),
      PATCH(request("PATCH", secret, `${path}/${id}`, "{"), params({ org: org.slug, id })),
      DELETE(request("DELETE", secret, `${path}/${id}`), params({ org: org.slug, id })),
    ];
    for (const response of await Promise.all(calls(reader.secret))) {
      expect(response.status).toBe(403);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("forbidden");
      expect(error.message).toContain("sign in");
    }
    for (const response of await Promise.all([...calls(ingest.secret), ...calls(elsewhere.secret)])) expect(response.status).toBe(404);
  });

  it("other methods are a 405 naming the allowed ones", async () => {
    const response = PUT();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});
