import "server-only";
import type postgres from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import { vendorOrganizationId } from "@/lib/access/organizations";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { normalizeOrigin } from "./origins";

/** The vendor-wide portal settings, one row of the `settings` table. */
export const PORTAL_SETTING = "portal";

export const PORTAL_SESSION_MINUTES = { min: 5, max: 720, default: 60 } as const;
export const PORTAL_MAX_ORIGINS = 20;

export type PortalSettings = {
  /** The vendor's product as its users know it ("Back to <name>"); empty: the vendor organization's name. */
  vendorName: string;
  /** An https image shown in the header of portal sessions; empty: none. */
  logoUrl: string;
  /** `#rrggbb`; empty: Orgtrail's own. */
  accentColor: string;
  /** Origins a link's return_url may be on. */
  returnOrigins: string[];
  /** Origins that may show the portal in an iframe (frame-ancestors of portal sessions). */
  frameOrigins: string[];
  sessionMinutes: number;
};

export const DEFAULT_PORTAL_SETTINGS: PortalSettings = { vendorName: "", logoUrl: "", accentColor: "", returnOrigins: [], frameOrigins: [], sessionMinutes: PORTAL_SESSION_MINUTES.default };

const originList = z
  .array(z.string())
  .max(PORTAL_MAX_ORIGINS, `list at most ${PORTAL_MAX_ORIGINS} origins`)
  .transform((values, ctx) => {
    const origins: string[] = [];
    values.forEach((value, index) => {
      if (!value.trim()) return;
      const origin = normalizeOrigin(value);
      if (origin === null) ctx.addIssue({ code: "custom", path: [index], message: `${value.slice(0, 100)} is not an origin: give https://host[:port] (http only for localhost)` });
      else if (!origins.includes(origin)) origins.push(origin);
    });
    return origins;
  });

const logoUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .refine((value) => {
    if (!value) return true;
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an https URL");

/** What the console's Portal page posts. */
export const portalSettingsInput = z.strictObject({
  vendorName: z.string().trim().max(60, "must be at most 60 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE),
  logoUrl,
  accentColor: z
    .string()
    .trim()
    .regex(/^(#[0-9a-fA-F]{6})?$/, "must be a colour as #rrggbb")
    .transform((value) => value.toLowerCase()),
  returnOrigins: originList,
  frameOrigins: originList,
  sessionMinutes: z
    .number({ error: "must be a number of minutes" })
    .int("must be a whole number of minutes")
    .min(PORTAL_SESSION_MINUTES.min, `must be at least ${PORTAL_SESSION_MINUTES.min} minutes`)
    .max(PORTAL_SESSION_MINUTES.max, `must be at most ${PORTAL_SESSION_MINUTES.max} minutes`),
});

type Queryable = postgres.Sql | postgres.TransactionSql;

/** The portal settings; a missing or unreadable row reads as the defaults. */
export async function readPortalSettings(db: Queryable = sql()): Promise<PortalSettings> {
  const [row] = await db<{ value: unknown }[]>`select value from settings where key = ${PORTAL_SETTING}`;
  const parsed = portalSettingsInput.safeParse({ ...DEFAULT_PORTAL_SETTINGS, ...(row?.value as object | undefined) });
  return parsed.success ? parsed.data : DEFAULT_PORTAL_SETTINGS;
}

const EVENT_KEYS: Record<keyof PortalSettings, string> = {
  vendorName: "vendor_name",
  logoUrl: "logo_url",
  accentColor: "accent_color",
  returnOrigins: "return_origins",
  frameOrigins: "frame_origins",
  sessionMinutes: "session_minutes",
};

/**
 * Saves the portal settings from the console and records
 * `orgtrail.portal.settings_changed` in the vendor log with what changed, in
 * one transaction. Saving the same values again records nothing.
 */
export async function updatePortalSettings(actor: VendorActor, input: unknown, context: RequestContext): Promise<PortalSettings> {
  const next = portalSettingsInput.parse(input);
  return sql().begin(async (tx) => {
    // One writer at a time, so each event's "from" is what the change replaced.
    await tx`select pg_advisory_xact_lock(hashtext(${`settings:${PORTAL_SETTING}`}))`;
    const previous = await readPortalSettings(tx);
    const changed = (Object.keys(EVENT_KEYS) as (keyof PortalSettings)[]).filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(next[key]));
    if (changed.length === 0) return next;
    await tx`insert into settings (key, value, updated_at) values (${PORTAL_SETTING}, ${tx.json(next)}, now())
      on conflict (key) do update set value = excluded.value, updated_at = now()`;
    const metadata: Record<string, string | number> = { changed: changed.map((key) => EVENT_KEYS[key]).join(", ") };
    for (const key of changed) {
      const value = next[key];
      metadata[EVENT_KEYS[key]] = Array.isArray(value) ? value.join(" ").slice(0, 500) : value;
    }
    await recordAppEvent(tx, await vendorOrganizationId(tx), { action: "orgtrail.portal.settings_changed", actor: actor.entity, metadata, ip: context.ip, userAgent: context.userAgent });
    return next;
  });
}
