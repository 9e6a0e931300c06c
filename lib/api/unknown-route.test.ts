import { describe, expect, it } from "vitest";
import * as unknownRoute from "@/app/api/v1/[...path]/route";

describe("unknown /api/v1 paths", () => {
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"] as const)("%s answers the JSON 404", async (method) => {
    const response = await unknownRoute[method](new Request("http://localhost/api/v1/no/such/path", { method }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toMatch(/\/api\/v1\/no\/such\/path/);
  });
});
