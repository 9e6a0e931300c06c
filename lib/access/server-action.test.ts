import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { sql } from "@/db/client";
import { REFUSED_VALUE_MESSAGE } from "@/db/errors";
import { conflict, invalid } from "@/lib/errors";
import { actionFailure, anonymousAction, UNEXPECTED_ERROR_MESSAGE } from "./server-action";

afterEach(() => vi.restoreAllMocks());

describe("actionFailure: the one mapping of a server action's failure", () => {
  it("keeps a domain error's message and issues", () => {
    expect(actionFailure(conflict("That slug is already used"))).toEqual({ ok: false, error: { message: "That slug is already used" } });
    expect(actionFailure(invalid("The form is not valid", [{ path: "name", message: "is required" }]))).toEqual({
      ok: false,
      error: { message: "The form is not valid", issues: [{ path: "name", message: "is required" }] },
    });
  });

  it("turns a zod error into issues, one issue into a sentence about its field", () => {
    const one = z.object({ name: z.string().min(3, "must be at least 3 characters") }).safeParse({ name: "a" });
    expect(actionFailure(one.error)).toEqual({ ok: false, error: { message: "Name must be at least 3 characters", issues: [{ path: "name", message: "must be at least 3 characters" }] } });
    const two = z.object({ name: z.string(), scopes: z.array(z.string()) }).safeParse({ name: 1, scopes: [2] });
    const failure = actionFailure(two.error);
    expect(failure.error.message).toBe("The form is not valid");
    expect(failure.error.issues?.map((issue) => issue.path)).toEqual(["name", "scopes[0]"]);
  });

  it("answers a value the database refused with the refused-value message", async () => {
    const refused = await sql()`select ${"a\u0000b"}::text`.then(() => null, (error: unknown) => error);
    expect(actionFailure(refused)).toEqual({ ok: false, error: { message: REFUSED_VALUE_MESSAGE } });
  });

  it("logs an unknown error by its name and code only, and answers the generic message", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const secret = Object.assign(new TypeError("select * from users where email = 'ada@example.com'"), { code: "XX001" });
    expect(actionFailure(secret)).toEqual({ ok: false, error: { message: UNEXPECTED_ERROR_MESSAGE } });
    expect(log).toHaveBeenCalledTimes(1);
    const logged = log.mock.calls[0]!.join(" ");
    expect(logged).toContain("TypeError");
    expect(logged).toContain("XX001");
    expect(logged).not.toContain("ada@example.com");
  });
});

describe("anonymousAction", () => {
  it("validates the input before running anything", async () => {
    const run = vi.fn(async () => "ran");
    const result = await anonymousAction(z.object({ token: z.string() }), { token: 42 }, run);
    expect(result).toMatchObject({ ok: false, error: { issues: [{ path: "token" }] } });
    expect(run).not.toHaveBeenCalled();
  });
});
