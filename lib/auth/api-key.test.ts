import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { createKey, createOrg } from "@/db/testing/fixtures";

type ApiKeyModule = typeof import("./api-key");

/** A fresh copy of the module, as Next.js gives each bundle (route handlers, server actions) its own. */
async function moduleCopy(): Promise<ApiKeyModule> {
  vi.resetModules();
  return import("./api-key");
}

/** The statements `fn` sends through the app's pool (postgres.js reads `debug` per query; drizzle keeps its client as $client). */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const options = (db() as unknown as { $client: { options: { debug: unknown } } }).$client.options;
  const sent: string[] = [];
  options.debug = (_connection: number, text: string) => sent.push(text);
  try {
    await fn();
  } finally {
    options.debug = false;
  }
  return sent.filter((text) => text.includes('"api_keys"') && text.startsWith("select"));
}

describe("the API key cache", () => {
  it("is one per process: a key forgotten in one copy of the module is read afresh by another", async () => {
    const org = await createOrg("key-cache");
    const { secret, principal } = await createKey(org.id);
    const routes = await moduleCopy();
    const actions = await moduleCopy();
    expect(routes).not.toBe(actions);
    // Cached once this process listens for changes: a lookup then sends no query.
    await expect.poll(async () => (await statementsOf(() => routes.findApiKey(secret))).length, { interval: 50, timeout: 5_000 }).toBe(0);
    actions.forgetApiKey(principal.keyId);
    expect(await statementsOf(() => routes.findApiKey(secret))).toHaveLength(1);
  });
});
