import type { StreamJson } from "@/lib/streams/stream-view";

/** Names of a stream's types and formats as people know them; no server-only import (client forms use these). */
export const DESTINATION_LABELS = { webhook: "HTTPS webhook", splunk_hec: "Splunk HEC", datadog: "Datadog logs" } as const;
export const FORMAT_LABELS = { orgtrail: "Orgtrail event", ocsf: "OCSF 1.3 API Activity" } as const;
export const BODY_FORMAT_LABELS = { json_array: "JSON array", ndjson: "NDJSON" } as const;

/** Where a stream sends: the URL, or a Datadog intake (its own URL or the site's). */
export function destinationTarget(destination: StreamJson["destination"]): string {
  if (destination.type === "datadog") {
    const intake = destination.intake_url;
    return typeof intake === "string" && intake ? intake : `http-intake.logs.${String(destination.site)}`;
  }
  return String(destination.url ?? "");
}

/** A time as UTC, to the second: `2026-11-20 10:15:00 UTC` (the same on the server and in every browser). */
export const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
