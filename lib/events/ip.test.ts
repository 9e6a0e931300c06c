import { describe, expect, it } from "vitest";
import { normalizeIp } from "./ip";

describe("normalizeIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:198.51.100.1", "198.51.100.1"],
    ["::1", "::1"],
  ])("%s → %s", (input, output) => expect(normalizeIp(input)).toBe(output));

  it.each(["", "999.1.1.1", "1.2.3", "0x7f.0.0.1", "fe80::1%eth0", "10.0.0.0/8", "not an ip", "1.2.3.4 "])("refuses %j", (input) => {
    expect(normalizeIp(input)).toBeNull();
  });
});
