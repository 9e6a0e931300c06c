import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { normalizeIp } from "./ip";

describe("normalizeIp", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:198.51.100.1", "198.51.100.1"],
    ["::1", "::1"],
    ["::1.2.3.4", "::102:304"],
    ["::102:304", "::102:304"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ])("%s → %s", (input, output) => expect(normalizeIp(input)).toBe(output));

  it.each(["", "999.1.1.1", "1.2.3", "0x7f.0.0.1", "fe80::1%eth0", "10.0.0.0/8", "not an ip", "1.2.3.4 "])("refuses %j", (input) => {
    expect(normalizeIp(input)).toBeNull();
  });

  it("writes what PostgreSQL's host(inet) writes for a stored address, but for IPv6 with a dotted IPv4 part", async () => {
    const inputs = ["2001:DB8:0:0:0:0:0:1", "2001:db8:0:0:1:0:0:1", "2001:0:0:1:0:0:0:1", "2001:db8:1:2:3:4:5:6", "fe80::abcd:0:0:7", "2001:db8::", "::", "::1", "203.0.113.7", "10.0.0.1"];
    for (const input of inputs) {
      const stored = normalizeIp(input)!;
      const [row] = await sql()<{ host: string }[]>`select host(${stored}::inet) as host`;
      expect(row!.host).toBe(stored);
    }
    const [dotted] = await sql()<{ host: string }[]>`select host('::1.2.3.4'::inet) as host`;
    expect([dotted!.host, normalizeIp(dotted!.host)]).toEqual(["::1.2.3.4", "::102:304"]);
  });
});
