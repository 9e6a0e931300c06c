import { describe, expect, it } from "vitest";
import { zodIssues } from "@/lib/errors";
import { destinationConfigSchema, destinationInputSchema, isWebhookSecret, parseDestination, splitDestinationInput } from "./config";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** The issues of an invalid input, as the API would answer them. */
function issuesOf(input: unknown) {
  const parsed = destinationInputSchema.safeParse(input);
  expect(parsed.success, JSON.stringify(input)).toBe(false);
  return parsed.success ? [] : zodIssues(parsed.error);
}

describe("destination input", () => {
  it("splits a webhook into public settings and sealed secrets, the header values being secret", () => {
    const input = destinationInputSchema.parse({ type: "webhook", url: " https://siem.example.com/in ", headers: { Authorization: "Bearer abc", "X-Team": "sec" } });
    const destination = splitDestinationInput(input, SECRET);
    expect(destination).toEqual({
      config: { type: "webhook", url: "https://siem.example.com/in", body_format: "json_array", header_names: ["Authorization", "X-Team"] },
      secrets: { signing_secrets: [SECRET], headers: { Authorization: "Bearer abc", "X-Team": "sec" } },
    });
    expect(JSON.stringify(destination.config)).not.toMatch(/Bearer|whsec_/);
  });

  it("splits Splunk HEC and Datadog, with defaults, keeping the token and the API key out of the public settings", () => {
    const splunk = splitDestinationInput(destinationInputSchema.parse({ type: "splunk_hec", url: "https://splunk.example.com:8088", index: "audit", token: "1b0e0f4c-9a5d-4b8e-8f2a-2c9e6d1f0a11" }), SECRET);
    expect(splunk).toEqual({
      config: { type: "splunk_hec", url: "https://splunk.example.com:8088", index: "audit", source: "orgtrail", host: "orgtrail" },
      secrets: { token: "1b0e0f4c-9a5d-4b8e-8f2a-2c9e6d1f0a11" },
    });
    const datadog = splitDestinationInput(destinationInputSchema.parse({ type: "datadog", site: "datadoghq.eu", tags: ["env:prod"], api_key: "0123456789abcdef0123456789abcdef" }), SECRET);
    expect(datadog).toEqual({
      config: { type: "datadog", site: "datadoghq.eu", service: "orgtrail", ddsource: "orgtrail", tags: ["env:prod"] },
      secrets: { api_key: "0123456789abcdef0123456789abcdef" },
    });
    for (const { config } of [splunk, datadog]) expect(Object.keys(destinationConfigSchema.parse(config))).not.toEqual(expect.arrayContaining(["token"]));
  });

  it("refuses custom headers that would override the signature or the HTTP framing, and malformed ones", () => {
    for (const name of ["webhook-signature", "Webhook-Id", "webhook-timestamp", "Host", "content-length", "Content-Type", "Transfer-Encoding"]) {
      expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", headers: { [name]: "x" } }), name).toEqual([
        { path: `headers.${name}`, message: `${name} is set by Orgtrail and cannot be overridden` },
      ]);
    }
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", headers: { "X-A": "line\r\nInjected: 1" } })[0]?.message).toMatch(/one line/);
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", headers: { "bad name": "x" } })[0]?.message).toMatch(/HTTP header name/);
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", headers: { "X-A": "1", "x-a": "2" } })[0]?.message).toMatch(/only once/);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`X-H${index}`, "v"]));
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", headers: many })[0]?.message).toMatch(/at most 20/);
  });

  it("answers bad inputs with issues naming the field", () => {
    expect(issuesOf({ type: "kafka", url: "https://x.example.com" })).toEqual([{ path: "type", message: "type must be one of webhook, splunk_hec, datadog" }]);
    expect(issuesOf({ type: "splunk_hec", url: "https://splunk.example.com" }).map((issue) => issue.path)).toEqual(["token"]);
    expect(issuesOf({ type: "splunk_hec", url: "https://splunk.example.com", token: "has space" })[0]?.message).toMatch(/HEC token/);
    expect(issuesOf({ type: "splunk_hec", url: "https://splunk.example.com", token: "t", index: "Main Index" })[0]?.path).toBe("index");
    expect(issuesOf({ type: "datadog", api_key: "k", site: "datadoghq.example" })[0]?.message).toMatch(/must be one of datadoghq.com/);
    expect(issuesOf({ type: "datadog", api_key: "k", tags: ["a,b"] })[0]).toMatchObject({ path: "tags[0]" });
    expect(issuesOf({ type: "webhook", url: "ftp://siem.example.com/" })[0]).toMatchObject({ path: "url", message: expect.stringMatching(/URL like https:/) });
    expect(issuesOf({ type: "webhook", url: "https://user:pw@siem.example.com/" })[0]?.message).toMatch(/user name, password/);
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", signing_secrets: [SECRET] })[0]?.message).toMatch(/Unrecognized key/);
    expect(issuesOf({ type: "webhook", url: "https://siem.example.com/", body_format: "xml" })[0]?.message).toBe("must be json_array or ndjson");
  });
});

describe("stored destinations", () => {
  it("are read back with their secrets, checked against their type", () => {
    const stored = splitDestinationInput(destinationInputSchema.parse({ type: "splunk_hec", url: "https://splunk.example.com", token: "tok" }), SECRET);
    expect(parseDestination(JSON.parse(JSON.stringify(stored.config)), { token: "tok" })).toEqual(stored);
    expect(() => parseDestination(stored.config, { api_key: "k" })).toThrow();
    expect(() => parseDestination({ type: "webhook", url: "https://x.example.com" }, { signing_secrets: [] })).toThrow();
  });

  it("take whsec_ secrets of 24 to 64 bytes only", () => {
    expect(isWebhookSecret(SECRET)).toBe(true);
    expect(isWebhookSecret(`whsec_${Buffer.alloc(64, 1).toString("base64")}`)).toBe(true);
    for (const bad of [`whsec_${Buffer.alloc(23, 1).toString("base64")}`, `whsec_${Buffer.alloc(65, 1).toString("base64")}`, "whsec_abc", SECRET.slice(6), `${SECRET}=`]) {
      expect(isWebhookSecret(bad), bad).toBe(false);
    }
  });
});
