import { describe, expect, it } from "vitest";
import { withLayout, type ColumnPrefs } from "./column-prefs";

const COLUMNS = [
  { id: "time", canHide: false },
  { id: "action", canHide: false },
  { id: "actor", canHide: true },
  { id: "ip", canHide: true },
  { id: "meta:plan", canHide: true },
];
const PREFS: ColumnPrefs = { visibility: { ip: false }, order: [], sizing: { actor: 300 } };

describe("withLayout", () => {
  it("shows the saved columns in their order, hides the others, keeps widths", () => {
    expect(withLayout(PREFS, COLUMNS, ["ip", "time", "action"])).toEqual({
      visibility: { time: true, action: true, actor: false, ip: true, "meta:plan": false },
      order: ["ip", "time", "action", "actor", "meta:plan"],
      sizing: { actor: 300 },
    });
  });

  it("keeps the columns that cannot be hidden, skips unknown ids, and leaves the prefs alone when none is known", () => {
    const next = withLayout(PREFS, COLUMNS, ["meta:gone", "actor"]);
    expect(next.visibility).toEqual({ time: true, action: true, actor: true, ip: false, "meta:plan": false });
    expect(next.order).toEqual(["actor", "time", "action", "ip", "meta:plan"]);
    expect(withLayout(PREFS, COLUMNS, ["meta:gone"])).toBe(PREFS);
  });
});
