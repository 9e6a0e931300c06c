import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { otherMethods } from "./other-methods";

const ROOT = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

describe("otherMethods", () => {
  it("answers with the error JSON, 405 and the Allow header", async () => {
    const { DELETE } = otherMethods("GET", "POST");
    const response = DELETE();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
    expect(await response.json()).toEqual({ error: { code: "method_not_allowed", message: "DELETE is not allowed here; use GET, POST" } });
  });

  it("every API route answers every method itself, so Next never sends its empty 405", async () => {
    const files = routeFiles(path.join(ROOT, "app/api/v1"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const route = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) expect(typeof route[method], `${path.relative(ROOT, file)} ${method}`).toBe("function");
    }
  });
});
