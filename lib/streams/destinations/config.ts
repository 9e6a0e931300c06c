import { z } from "zod";

/*
 * What a log-stream destination is configured with. Each type has public
 * settings (stored as they are, returned by the API, shown in the UI) and
 * secrets (stored sealed, never returned): webhook signing secrets and custom
 * header values (they often carry a token), the HEC token, the Datadog API key.
 * No server-only imports here: the settings form validates with these too.
 */

export const DESTINATION_TYPES = ["webhook", "splunk_hec", "datadog"] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const DATADOG_SITES = ["datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu", "ap1.datadoghq.com", "ap2.datadoghq.com", "ddog-gov.com"] as const;

/** Headers a webhook's custom headers may not set: the signature's, and those the HTTP client owns. */
export const RESERVED_WEBHOOK_HEADERS = [
  "webhook-id", "webhook-timestamp", "webhook-signature", "host", "content-length", "content-type", "content-encoding",
  "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "expect", "proxy-authorization", "proxy-connection",
] as const;
const MAX_CUSTOM_HEADERS = 20;

/** A destination URL's syntax; whether it may be reached (https, public address) is lib/streams/destination-guard.ts's check. */
export const destinationUrlSchema = z
  .string()
  .trim()
  .max(2048, "must be at most 2,048 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be a URL like https://siem.example.com/orgtrail" }))
  .refine((value) => {
    // zod runs this even after z.url() refused the value: that issue is the one to report.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return !url.username && !url.password && !url.hash;
  }, "must not contain a user name, password or #fragment");

/** A `whsec_` secret whose key is 24 to 64 bytes of base64 (Standard Webhooks). */
export function isWebhookSecret(value: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+)(={0,2})$/.exec(value);
  if (!match || (match[1]!.length + match[2]!.length) % 4 !== 0) return false;
  const bytes = ((match[1]!.length + match[2]!.length) / 4) * 3 - match[2]!.length;
  return bytes >= 24 && bytes <= 64;
}

export const webhookSecretSchema = z.string().refine(isWebhookSecret, "must be a Standard Webhooks secret: whsec_ followed by 24 to 64 bytes of base64");

const credential = (what: string) => z.string().trim().regex(/^[\x21-\x7e]{1,512}$/, `must be the ${what}: 1 to 512 printable characters without spaces`);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** Custom webhook headers; names are checked here, not as record keys, so an issue names the header (zod says "Invalid key in record"). */
const customHeaders = z
  .record(z.string(), z.string().regex(/^[\x20-\x7e\t]{0,2000}$/, "must be at most 2,000 printable characters on one line"))
  .superRefine((headers, context) => {
    const names = Object.keys(headers);
    if (names.length > MAX_CUSTOM_HEADERS) context.addIssue({ code: "custom", message: `at most ${MAX_CUSTOM_HEADERS} custom headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!HEADER_NAME.test(name)) context.addIssue({ code: "custom", path: [name], message: "must be an HTTP header name (letters, digits, - and _, at most 64)" });
      else if ((RESERVED_WEBHOOK_HEADERS as readonly string[]).includes(lower)) context.addIssue({ code: "custom", path: [name], message: `${name} is set by Orgtrail and cannot be overridden` });
      else if (seen.has(lower)) context.addIssue({ code: "custom", path: [name], message: "each header name only once (names are case-insensitive)" });
      seen.add(lower);
    }
  });

const splunkField = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\r\n]*$/, "must be on one line");
const datadogTag = z.string().trim().min(1).max(200).regex(/^[^,\s]+$/, "must be a Datadog tag like env:prod (no commas or spaces)");

const splunkHecPublic = {
  url: destinationUrlSchema,
  index: z.string().regex(/^[a-z0-9_][a-z0-9_-]{0,79}$/, "must be a Splunk index name (lowercase letters, digits, _ and -)").optional(),
  source: splunkField(256).default("orgtrail"),
  /** Unset: orgtrail:audit, or orgtrail:ocsf for the OCSF format. */
  sourcetype: splunkField(256).optional(),
  host: splunkField(256).default("orgtrail"),
};

const datadogPublic = {
  site: z.enum(DATADOG_SITES, { error: `must be one of ${DATADOG_SITES.join(", ")}` }).default("datadoghq.com"),
  /** Instead of the site's intake: a Datadog-compatible endpoint, like an Observability Pipelines worker. */
  intake_url: destinationUrlSchema.optional(),
  service: splunkField(100).default("orgtrail"),
  ddsource: splunkField(100).default("orgtrail"),
  tags: z.array(datadogTag).max(50, "at most 50 tags").default([]),
  hostname: splunkField(255).optional(),
};

export const webhookConfigSchema = z.object({
  type: z.literal("webhook"),
  url: destinationUrlSchema,
  body_format: z.enum(["json_array", "ndjson"], { error: "must be json_array or ndjson" }).default("json_array"),
  /** The custom headers' names; their values are secrets. */
  header_names: z.array(z.string()).default([]),
});
export const splunkHecConfigSchema = z.object({ type: z.literal("splunk_hec"), ...splunkHecPublic });
export const datadogConfigSchema = z.object({ type: z.literal("datadog"), ...datadogPublic });
export const destinationConfigSchema = z.discriminatedUnion("type", [webhookConfigSchema, splunkHecConfigSchema, datadogConfigSchema]);

export const webhookSecretsSchema = z.object({
  /** The current secret first; during a rotation the previous one second. */
  signing_secrets: z.array(webhookSecretSchema).min(1).max(2),
  headers: customHeaders.default({}),
});
export const splunkHecSecretsSchema = z.object({ token: credential("HEC token") });
export const datadogSecretsSchema = z.object({ api_key: credential("Datadog API key") });

/** A destination as created through the API or UI: public settings and secrets together (a webhook's signing secret is generated). */
export const destinationInputSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("webhook"),
    url: destinationUrlSchema,
    body_format: webhookConfigSchema.shape.body_format,
    headers: customHeaders.default({}),
  }),
  z.strictObject({ type: z.literal("splunk_hec"), ...splunkHecPublic, token: credential("HEC token") }),
  z.strictObject({ type: z.literal("datadog"), ...datadogPublic, api_key: credential("Datadog API key") }),
], { error: `type must be one of ${DESTINATION_TYPES.join(", ")}` });

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type SplunkHecConfig = z.infer<typeof splunkHecConfigSchema>;
export type DatadogConfig = z.infer<typeof datadogConfigSchema>;
export type DestinationConfig = z.infer<typeof destinationConfigSchema>;
export type WebhookSecrets = z.infer<typeof webhookSecretsSchema>;
export type SplunkHecSecrets = z.infer<typeof splunkHecSecretsSchema>;
export type DatadogSecrets = z.infer<typeof datadogSecretsSchema>;
export type DestinationInput = z.input<typeof destinationInputSchema>;

/** A destination's public settings with its secrets, matched by type. */
export type WebhookDestination = { config: WebhookConfig; secrets: WebhookSecrets };
export type SplunkHecDestination = { config: SplunkHecConfig; secrets: SplunkHecSecrets };
export type DatadogDestination = { config: DatadogConfig; secrets: DatadogSecrets };
export type Destination = WebhookDestination | SplunkHecDestination | DatadogDestination;
export type DestinationOf<T extends DestinationType> = Extract<Destination, { config: { type: T } }>;

/** Narrows a destination by its config's type (TypeScript does not narrow on the nested field). */
export function isDestinationOf<T extends DestinationType>(destination: Destination, type: T): destination is DestinationOf<T> {
  return destination.config.type === type;
}

/**
 * Splits a validated input into what is stored in the clear and what is sealed.
 * `newWebhookSecret` (from generateWebhookSecret) becomes a webhook's signing secret.
 */
export function splitDestinationInput(input: z.output<typeof destinationInputSchema>, newWebhookSecret: string): Destination {
  switch (input.type) {
    case "webhook": {
      const { headers, ...config } = input;
      return {
        config: { ...config, header_names: Object.keys(headers) },
        secrets: webhookSecretsSchema.parse({ signing_secrets: [newWebhookSecret], headers }),
      };
    }
    case "splunk_hec": {
      const { token, ...config } = input;
      return { config, secrets: { token } };
    }
    case "datadog": {
      const { api_key, ...config } = input;
      return { config, secrets: { api_key } };
    }
  }
}

/** A stored destination read back: its public settings and its opened secrets, checked against its type. */
export function parseDestination(config: unknown, secrets: unknown): Destination {
  const parsed = destinationConfigSchema.parse(config);
  switch (parsed.type) {
    case "webhook":
      return { config: parsed, secrets: webhookSecretsSchema.parse(secrets) };
    case "splunk_hec":
      return { config: parsed, secrets: splunkHecSecretsSchema.parse(secrets) };
    case "datadog":
      return { config: parsed, secrets: datadogSecretsSchema.parse(secrets) };
  }
}
