import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { checkDestinationUrl, forbiddenAddressRange, guardedLookup, RefusedAddressError, urlRefusal, type Resolver } from "./destination-guard";

/** A resolver answering from a table, as a DNS server under test control would. */
const fakeDns = (table: Record<string, string[]>): Resolver => async (hostname) => {
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

describe("forbiddenAddressRange", () => {
  it("refuses loopback, private, link-local, metadata, CGNAT, multicast, unspecified, reserved and their IPv6 forms", () => {
    const cases: [string, string][] = [
      ["127.0.0.1", "loopback"], ["127.8.9.10", "loopback"], ["10.0.0.1", "private"], ["172.16.5.4", "private"], ["192.168.1.1", "private"],
      ["169.254.169.254", "linkLocal"], ["100.64.0.1", "carrierGradeNat"], ["224.0.0.1", "multicast"], ["0.0.0.0", "unspecified"],
      ["255.255.255.255", "broadcast"], ["192.0.2.1", "reserved"], ["240.0.0.1", "reserved"],
      ["::1", "loopback"], ["::", "unspecified"], ["fe80::1", "linkLocal"], ["fd00:ec2::254", "uniqueLocal"], ["fc00::1", "uniqueLocal"],
      ["ff02::1", "multicast"], ["::ffff:127.0.0.1", "loopback"], ["::ffff:7f00:1", "loopback"], ["::ffff:169.254.169.254", "linkLocal"],
      ["::ffff:10.0.0.1", "private"], ["64:ff9b::a00:1", "private"], ["::127.0.0.1", "loopback"], ["::7f00:1", "reserved"], ["2001:db8::1", "reserved"],
      ["not an ip", "invalid"],
    ];
    for (const [address, range] of cases) expect(forbiddenAddressRange(address), address).toBe(range);
  });

  it("lets public unicast addresses through, also IPv4-mapped and NAT64 forms of them", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]) expect(forbiddenAddressRange(address), address).toBeNull();
  });
});

describe("urlRefusal", () => {
  it("wants https, no credentials, and no private IP literal unless private destinations are allowed", () => {
    expect(urlRefusal("https://siem.example.com/in", { allowPrivate: false })).toBeNull();
    expect(urlRefusal("http://siem.example.com/in", { allowPrivate: false })).toMatchObject({ kind: "refused_url", message: /https:\/\/.*ORGTRAIL_STREAMS_ALLOW_PRIVATE=1/ });
    expect(urlRefusal("http://siem.example.com/in", { allowPrivate: true })).toBeNull();
    expect(urlRefusal("ftp://siem.example.com/in", { allowPrivate: true })).toMatchObject({ kind: "refused_url" });
    expect(urlRefusal("https://user:pw@siem.example.com/", { allowPrivate: true })).toMatchObject({ kind: "refused_url", message: /user name or password/ });
    expect(urlRefusal("not a url", { allowPrivate: true })).toMatchObject({ kind: "invalid_url" });
    for (const url of ["https://127.0.0.1/", "https://[::1]:8443/", "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/", "https://[::ffff:127.0.0.1]/", "https://0x7f.1/", "https://2130706433/"]) {
      expect(urlRefusal(url, { allowPrivate: false }), url).toMatchObject({ kind: "refused_address", message: /log streams may not reach/ });
      expect(urlRefusal(url, { allowPrivate: true }), url).toBeNull();
    }
  });
});

describe("checkDestinationUrl", () => {
  const resolve = fakeDns({
    "siem.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "rebind.example.com": ["93.184.215.14", "10.0.0.7"],
    "metadata.example.com": ["169.254.169.254"],
  });

  it("accepts an https URL whose host resolves only to public addresses", async () => {
    expect((await checkDestinationUrl("https://siem.example.com/hooks", { allowPrivate: false, resolve })).hostname).toBe("siem.example.com");
  });

  it("refuses, as a validation error naming the field, private literals, names resolving to private addresses, unknown hosts and http", async () => {
    const refused = async (url: string, message: RegExp, path?: string) => {
      const error = await checkDestinationUrl(url, { allowPrivate: false, resolve, path }).catch((caught: unknown) => caught);
      expect(error, url).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("validation_failed");
      expect((error as AppError).message, url).toMatch(message);
      expect((error as AppError).issues?.[0]?.path).toBe(path ?? "url");
    };
    await refused("https://rebind.example.com/", /rebind\.example\.com \(10\.0\.0\.7\) is a private address/);
    await refused("https://metadata.example.com/", /169\.254\.169\.254\) is a linkLocal address/, "destination.url");
    await refused("https://169.254.169.254/", /169\.254\.169\.254 is a linkLocal address/);
    await refused("https://[::1]/", /::1 is a loopback address/);
    await refused("https://nowhere.example.com/", /nowhere\.example\.com does not resolve \(ENOTFOUND\)/);
    await refused("http://siem.example.com/", /must be an https:\/\/ URL/);
  });

  it("resolves real names too: localhost is loopback", async () => {
    await expect(checkDestinationUrl("https://localhost:8443/", { allowPrivate: false })).rejects.toThrow(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
  });

  it("allows http and private destinations when told to, without resolving", async () => {
    expect((await checkDestinationUrl("http://127.0.0.1:9/x", { allowPrivate: true })).port).toBe("9");
    expect((await checkDestinationUrl("http://not-resolvable.invalid/", { allowPrivate: true, resolve })).hostname).toBe("not-resolvable.invalid");
  });
});

describe("guardedLookup", () => {
  const lookup = (hostname: string, options: { all?: boolean; family?: number }, allowPrivate: boolean, resolve: Resolver) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) => {
      guardedLookup({ allowPrivate, resolve })(hostname, options, (error, address, family) => done({ error, address, family }));
    });
  const resolve = fakeDns({ "mixed.example.com": ["93.184.215.14", "fd00::1"], "public.example.com": ["93.184.215.14", "2606:4700:4700::1111"] });

  it("refuses a name with any private address, answering in both lookup shapes otherwise", async () => {
    const refused = await lookup("mixed.example.com", { all: true }, false, resolve);
    expect(refused.error).toBeInstanceOf(RefusedAddressError);
    expect(refused.error?.message).toMatch(/mixed\.example\.com \(fd00::1\) is a uniqueLocal address/);
    expect((await lookup("mixed.example.com", { all: true }, true, resolve)).address).toHaveLength(2);
    expect(await lookup("public.example.com", { all: true }, false, resolve)).toMatchObject({ error: null, address: [{ address: "93.184.215.14", family: 4 }, { address: "2606:4700:4700::1111", family: 6 }] });
    expect(await lookup("public.example.com", { family: 6 }, false, resolve)).toMatchObject({ error: null, address: "2606:4700:4700::1111", family: 6 });
    expect((await lookup("gone.example.com", {}, false, resolve)).error?.code).toBe("ENOTFOUND");
  });
});
