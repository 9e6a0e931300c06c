import "server-only";
import { z } from "zod";
import { resolveOrgScope } from "@/lib/access/scope";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import type { RequestContext } from "@/lib/auth/request-context";
import { parseBody } from "@/lib/api/body";
import { AppError } from "@/lib/errors";
import { retentionSettings, setRetentionDays } from "@/lib/events/retention";

/*
 * GET|PUT /organizations/{id}/audit_logs_retention: an organization's retention
 * in WorkOS's terms. WorkOS names periods (`1_MONTH` … `11_MONTHS`, `1_YEAR` …
 * `10_YEARS`); Orgtrail keeps days, a month being 30 of them and a year 365.
 */

const PERIODS = [
  ...Array.from({ length: 11 }, (_, i) => [`${i + 1}_${i === 0 ? "MONTH" : "MONTHS"}`, (i + 1) * 30] as const),
  ...Array.from({ length: 10 }, (_, i) => [`${i + 1}_${i === 0 ? "YEAR" : "YEARS"}`, (i + 1) * 365] as const),
];
const DAYS_OF_PERIOD = new Map<string, number>(PERIODS);
const PERIOD_NAMES = PERIODS.map(([name]) => name);

export const retentionInput = z.looseObject({
  retention_period: z.string({ error: "is required" }).refine((period) => DAYS_OF_PERIOD.has(period), `must be one of ${PERIOD_NAMES.join(", ")}`),
});

type WorkosRetention = { retention_period_in_days: number };

export async function getWorkosRetention(key: ApiKeyPrincipal, organizationRef: string): Promise<WorkosRetention> {
  const scope = await resolveOrgScope(key, organizationRef);
  return { retention_period_in_days: (await retentionSettings(scope)).days };
}

/** Sets the period (within the vendor's bounds, as the settings page does) and records `orgtrail.retention.changed`. */
export async function setWorkosRetention(key: ApiKeyPrincipal, organizationRef: string, body: unknown, context: RequestContext): Promise<WorkosRetention> {
  const { retention_period } = parseBody(retentionInput, body);
  const scope = await resolveOrgScope(key, organizationRef);
  try {
    await setRetentionDays(scope, context, { days: DAYS_OF_PERIOD.get(retention_period)! });
  } catch (error) {
    // Outside the vendor's retention bounds: WorkOS answers a period it does not allow with a 422 on the field.
    if (error instanceof AppError && error.code === "invalid_request") throw new AppError("validation_failed", error.message, [{ path: "retention_period", message: error.issues?.[0]?.message ?? error.message }]);
    throw error;
  }
  return { retention_period_in_days: (await retentionSettings(scope)).days };
}
