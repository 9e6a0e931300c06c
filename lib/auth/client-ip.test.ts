import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IpRange } from "@/lib/env";
import { clientIp } from "./client-ip";
import { TOO_MANY_ATTEMPTS } from "./attempt-limits";
import { authenticate } from "@/lib/accounts/sign-in";

// The server process preloads this (scripts/server-node-options.ts); here it serves the test's own HTTP server.
await import(/* @vite-ignore */ pathToFileURL(path.resolve(import.meta.dirname, "../../scripts/forwarded-for-peer.mjs")).href);

let server: Server;
let port: number;
let lastHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  server = createServer((request, response) => {
    lastHeaders = request.headers;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The headers a request handler sees when a client on this machine sends `headers` over a real connection. */
async function headersSeen(headers: Record<string, string> = {}): Promise<Record<string, string | string[] | undefined>> {
  await fetch(`http://127.0.0.1:${port}/`, { headers });
  return lastHeaders;
}

/** ORGTRAIL_TRUSTED_PROXIES as lib/env.ts parses it. */
async function trusted(value: string): Promise<IpRange[]> {
  vi.resetModules();
  const saved = process.env.ORGTRAIL_TRUSTED_PROXIES;
  process.env.ORGTRAIL_TRUSTED_PROXIES = value;
  try {
    const { env } = await import("@/lib/env");
    return env().ORGTRAIL_TRUSTED_PROXIES;
  } finally {
    if (saved === undefined) delete process.env.ORGTRAIL_TRUSTED_PROXIES;
    else process.env.ORGTRAIL_TRUSTED_PROXIES = saved;
  }
}

describe("client IP", () => {
  it("is the connection's address when no proxy is trusted, whatever X-Forwarded-For the client sends", async () => {
    expect(clientIp(await headersSeen(), [])).toBe("127.0.0.1");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "203.0.113.9" }), [])).toBe("127.0.0.1");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "203.0.113.9, 198.51.100.1", "X-Real-IP": "192.0.2.1" }), [])).toBe("127.0.0.1");
  });

  it("is none by default (ORGTRAIL_TRUSTED_PROXIES unset)", async () => {
    expect(await trusted("")).toEqual([]);
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "203.0.113.9" }))).toBe("127.0.0.1");
  });

  it("takes the entry a trusted proxy added, and walks left only through trusted proxies", async () => {
    const loopback = await trusted("127.0.0.0/8");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "203.0.113.9" }), loopback)).toBe("203.0.113.9");
    // The left entry is the client's own claim: never read.
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "198.51.100.1, 203.0.113.9" }), loopback)).toBe("203.0.113.9");
    const twoProxies = await trusted(" 127.0.0.1 , 203.0.113.0/24,2001:db8::/32");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "198.51.100.1, 203.0.113.9" }), twoProxies)).toBe("198.51.100.1");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "192.0.2.5, 2001:db8::7, 203.0.113.9" }), twoProxies)).toBe("192.0.2.5");
    // A trusted proxy that forwarded nothing is itself the client.
    expect(clientIp(await headersSeen(), loopback)).toBe("127.0.0.1");
  });

  it("is unknown when the entry a trusted proxy added is not an address, and reads addresses with ports", async () => {
    const loopback = await trusted("127.0.0.0/8");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "unknown" }), loopback)).toBeNull();
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "203.0.113.9:4711" }), loopback)).toBe("203.0.113.9");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "[2001:DB8::1]:4711" }), loopback)).toBe("2001:db8::1");
    expect(clientIp(await headersSeen({ "X-Forwarded-For": "::ffff:203.0.113.9" }), loopback)).toBe("203.0.113.9");
  });

  it("rejects a bad ORGTRAIL_TRUSTED_PROXIES entry with a message naming the variable", async () => {
    await expect(trusted("10.0.0.0/8, proxy.internal")).rejects.toThrow(/ORGTRAIL_TRUSTED_PROXIES: "proxy\.internal" is not an IP address or CIDR range/);
  });

  it("a forged X-Forwarded-For does not get around the per-IP sign-in limit", async () => {
    for (let i = 0; i < 50; i++) {
      const headers = await headersSeen({ "X-Forwarded-For": `198.51.100.${i}` });
      const refused = await authenticate({ email: `spray-${i}-${randomUUID().slice(0, 4)}@test.test`, password: "guess", ip: clientIp(headers, []), userAgent: "vitest" });
      expect(refused).toBeNull();
    }
    const headers = await headersSeen({ "X-Forwarded-For": "192.0.2.200" });
    await expect(authenticate({ email: "another@test.test", password: "guess", ip: clientIp(headers, []), userAgent: "vitest" })).rejects.toThrow(TOO_MANY_ATTEMPTS);
  });
});
