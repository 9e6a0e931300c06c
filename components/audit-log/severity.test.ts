import { describe, expect, it } from "vitest";
import { parseQuery } from "@/lib/events/query-language";
import { actionsWithSeverity, includesAllActions, isSeverity } from "./severity";

const displays = {
  "user.role_changed": { label: "Role changed", severity: "high" },
  "api_key.created": { severity: "high" },
  "user.signed_in": { severity: "info" },
  "document.viewed": {},
};

describe("severity filters", () => {
  it("knows the five levels and nothing else", () => {
    expect(["critical", "high", "medium", "low", "info"].every(isSeverity)).toBe(true);
    expect(isSeverity("urgent")).toBe(false);
    expect(isSeverity(undefined)).toBe(false);
  });

  it("lists the actions of a level from the schema displays, sorted", () => {
    expect(actionsWithSeverity(displays, "high")).toEqual(["api_key.created", "user.role_changed"]);
    expect(actionsWithSeverity(displays, "critical")).toEqual([]);
  });

  it("counts a level as chosen only when every one of its actions is an included action: term", () => {
    const high = actionsWithSeverity(displays, "high");
    expect(includesAllActions(parseQuery("action:api_key.created action:user.role_changed ada").terms, high)).toBe(true);
    expect(includesAllActions(parseQuery("action:api_key.created").terms, high)).toBe(false);
    expect(includesAllActions(parseQuery("action:api_key.created -action:user.role_changed").terms, high)).toBe(false);
    expect(includesAllActions(null, high)).toBe(false);
    expect(includesAllActions(parseQuery("").terms, [])).toBe(false);
  });
});
