"use client";

import { Plus, X } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { inputClass, secondaryButton } from "@/components/ui/styles";
import type { ErrorIssue } from "@/lib/errors";
import { DATADOG_SITES, DESTINATION_TYPES, type DestinationInput, type DestinationType } from "@/lib/streams/destinations/config";
import { BODY_FORMAT_LABELS, DESTINATION_LABELS, FORMAT_LABELS } from "./stream-labels";

/*
 * The fields of a log stream's form (add and edit): name, format, filter and the
 * destination of each type. The server validates; its issues are shown at the
 * field they name (`destination.url`, `filter`, …).
 */

/** The issues of a refused save, by field: `destination.tags[2]` is the tags field's, a header's is the headers'. */
export type FieldIssues = Record<string, string[]>;

export function fieldKeyOf(path: string): string {
  const key = path.replace(/\[\d+\]/g, "");
  return key.startsWith("destination.headers.") ? "destination.headers" : key;
}

/** The public settings a stream's destination starts from in the edit form; secrets are never here. */
export type DestinationDefaults = Record<string, unknown> & { type: DestinationType };

const DESTINATION_HELP: Record<DestinationType, string> = {
  webhook: "Any HTTPS endpoint. Each request is signed per Standard Webhooks.",
  splunk_hec: "Splunk's HTTP Event Collector, with an HEC token.",
  datadog: "Datadog's logs intake, with an API key.",
};

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
/** An optional setting: left empty, it is not sent and the server's default applies. */
const optional = (form: FormData, name: string) => text(form, name) || undefined;

/** The destination part of a stream's input, read from the form. */
export function destinationFromForm(form: FormData): DestinationInput {
  const type = text(form, "type") as DestinationType;
  switch (type) {
    case "splunk_hec":
      return { type, url: text(form, "url"), token: text(form, "token"), index: optional(form, "index"), source: optional(form, "source"), sourcetype: optional(form, "sourcetype") };
    case "datadog":
      return {
        type,
        site: text(form, "site") as (typeof DATADOG_SITES)[number],
        api_key: text(form, "api_key"),
        service: optional(form, "service"),
        tags: text(form, "tags").split(/[\s,]+/).filter(Boolean),
        intake_url: optional(form, "intake_url"),
      };
    default: {
      const names = form.getAll("header_name").map((v) => String(v).trim());
      const values = form.getAll("header_value").map(String);
      const headers = Object.fromEntries(names.flatMap((name, i) => (name || values[i] ? [[name, values[i] ?? ""]] : [])));
      return { type: "webhook", url: text(form, "url"), body_format: text(form, "body_format") as "json_array" | "ndjson", headers };
    }
  }
}

/** A field's label, control and the server's issues about it, tied together for screen readers. */
function Field({ label, hint, issues, children }: { label: ReactNode; hint?: ReactNode; issues?: string[]; children: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", issues?.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <div className="mt-1">{children({ id, ...(issues?.length ? { "aria-invalid": true } : {}), ...(described ? { "aria-describedby": described } : {}) })}</div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      <FieldIssueText id={`${id}-error`} issues={issues} />
    </div>
  );
}

function FieldIssueText({ id, issues }: { id: string; issues?: string[] }) {
  if (!issues?.length) return null;
  return (
    <p id={id} data-testid="field-error" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
      {issues.join("; ")}
    </p>
  );
}

const optionalLabel = (label: string) => (
  <>
    {label} <span className="font-normal text-zinc-500 dark:text-zinc-400">(optional)</span>
  </>
);

const invalidRing = "aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500/20";
const input = `${inputClass} ${invalidRing}`;

/** The stream's name: first in the form. */
export function NameField({ issues, defaultValue }: { issues: FieldIssues; defaultValue?: string }) {
  return (
    <Field label="Name" issues={issues.name}>
      {(props) => <input {...props} name="name" required autoFocus maxLength={100} defaultValue={defaultValue} placeholder="Splunk production" className={input} />}
    </Field>
  );
}

/** What is sent: the format and the filter. */
export function FormatFilterFields({ issues, defaults }: { issues: FieldIssues; defaults?: { format: string; filter: string } }) {
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium">Format</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-2">
          {(Object.keys(FORMAT_LABELS) as (keyof typeof FORMAT_LABELS)[]).map((format) => (
            <label key={format} className="flex cursor-pointer items-start gap-2 rounded-lg border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:bg-indigo-950/40">
              <input type="radio" name="format" value={format} defaultChecked={(defaults?.format ?? "orgtrail") === format} className="mt-1 accent-indigo-600" />
              <span>
                <span className="font-medium">{FORMAT_LABELS[format]}</span>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{format === "ocsf" ? "Class 6003, for Security Lake and OCSF-native SIEMs" : "The API's event JSON, as the events endpoint returns it"}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldIssueText id="format-error" issues={issues.format} />
      </fieldset>
      <Field label={optionalLabel("Filter")} hint="The viewer's query language, without occurred:. Empty sends every event." issues={issues.filter}>
        {(props) => <input {...props} name="filter" maxLength={2000} defaultValue={defaults?.filter} placeholder="action:user.* -actor:bot" spellCheck={false} className={`${input} font-mono`} />}
      </Field>
    </>
  );
}

type HeaderRow = { key: number; name: string };

function CustomHeaders({ issues, names }: { issues?: string[]; names: string[] }) {
  const [rows, setRows] = useState<HeaderRow[]>(() => names.map((name, key) => ({ key, name })));
  const [next, setNext] = useState(names.length);
  return (
    <fieldset>
      <legend className="text-sm font-medium">{optionalLabel("Custom headers")}</legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Sent with every request, e.g. an Authorization header. Values are kept encrypted and never shown again.</p>
      <div className="mt-2 space-y-2">
        {rows.map((row, index) => (
          <div key={row.key} className="flex items-center gap-2">
            <input name="header_name" aria-label={`Header ${index + 1} name`} defaultValue={row.name} placeholder="Authorization" className={`${input} w-2/5 font-mono text-xs`} {...(issues?.length ? { "aria-invalid": true } : {})} />
            <input name="header_value" aria-label={`Header ${index + 1} value`} type="password" autoComplete="off" placeholder="Bearer …" className={`${input} flex-1 font-mono text-xs`} />
            <button type="button" className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:hover:bg-zinc-800" aria-label={`Remove header ${index + 1}`} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
              <X className="size-4" aria-hidden />
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        className={`${secondaryButton} mt-2`}
        onClick={() => {
          setRows([...rows, { key: next, name: "" }]);
          setNext(next + 1);
        }}
      >
        <Plus className="size-4" aria-hidden /> Add header
      </button>
      <FieldIssueText id="headers-error" issues={issues} />
    </fieldset>
  );
}

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * The destination: its type, then that type's settings. `defaults` fills the
 * public settings when editing; secrets are always typed afresh.
 */
export function DestinationFields({ issues, defaults }: { issues: FieldIssues; defaults?: DestinationDefaults }) {
  const [type, setType] = useState<DestinationType>(defaults?.type ?? "webhook");
  const same = defaults?.type === type ? defaults : undefined;
  const at = (field: string) => issues[`destination.${field}`];
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium">Destination</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-3">
          {DESTINATION_TYPES.map((option) => (
            <label key={option} className="flex cursor-pointer items-start gap-2 rounded-lg border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:bg-indigo-950/40">
              <input type="radio" name="type" value={option} checked={type === option} onChange={() => setType(option)} className="mt-1 accent-indigo-600" />
              <span className="font-medium">{DESTINATION_LABELS[option]}</span>
            </label>
          ))}
        </div>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{DESTINATION_HELP[type]}</p>
        <FieldIssueText id="type-error" issues={issues["destination.type"] ?? issues.destination} />
      </fieldset>
      {/* One block per type, keyed so switching types starts from empty fields. */}
      <div key={type} className="space-y-4 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
        {type === "webhook" ? (
          <>
            <Field label="URL" hint="https:// only; private and internal addresses are refused." issues={at("url")}>
              {(props) => <input {...props} name="url" type="url" required defaultValue={str(same?.url)} placeholder="https://siem.example.com/orgtrail" className={`${input} font-mono`} />}
            </Field>
            <Field label="Body" issues={at("body_format")}>
              {(props) => (
                <select {...props} name="body_format" defaultValue={str(same?.body_format) ?? "json_array"} className={input}>
                  {(Object.keys(BODY_FORMAT_LABELS) as (keyof typeof BODY_FORMAT_LABELS)[]).map((format) => (
                    <option key={format} value={format}>
                      {BODY_FORMAT_LABELS[format]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <CustomHeaders issues={at("headers")} names={Array.isArray(same?.header_names) ? (same.header_names as string[]) : []} />
          </>
        ) : type === "splunk_hec" ? (
          <>
            <Field label="HEC URL" hint="The collector's base URL; Orgtrail posts to /services/collector/event." issues={at("url")}>
              {(props) => <input {...props} name="url" type="url" required defaultValue={str(same?.url)} placeholder="https://splunk.example.com:8088" className={`${input} font-mono`} />}
            </Field>
            <Field label="HEC token" hint={defaults ? "Type the token again: it is never shown." : undefined} issues={at("token")}>
              {(props) => <input {...props} name="token" type="password" required autoComplete="off" className={`${input} font-mono`} />}
            </Field>
            <Field label={optionalLabel("Index")} hint="Unset: the token's default index." issues={at("index")}>
              {(props) => <input {...props} name="index" defaultValue={str(same?.index)} placeholder="main" className={`${input} font-mono`} />}
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label={optionalLabel("Source")} issues={at("source")}>
                {(props) => <input {...props} name="source" defaultValue={str(same?.source)} placeholder="orgtrail" className={`${input} font-mono`} />}
              </Field>
              <Field label={optionalLabel("Sourcetype")} issues={at("sourcetype")}>
                {(props) => <input {...props} name="sourcetype" defaultValue={str(same?.sourcetype)} placeholder="orgtrail:audit" className={`${input} font-mono`} />}
              </Field>
            </div>
          </>
        ) : (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Site" issues={at("site")}>
                {(props) => (
                  <select {...props} name="site" defaultValue={str(same?.site) ?? "datadoghq.com"} className={input}>
                    {DATADOG_SITES.map((site) => (
                      <option key={site} value={site}>
                        {site}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={optionalLabel("Service")} issues={at("service")}>
                {(props) => <input {...props} name="service" defaultValue={str(same?.service)} placeholder="orgtrail" className={`${input} font-mono`} />}
              </Field>
            </div>
            <Field label="API key" hint={defaults ? "Type the key again: it is never shown." : undefined} issues={at("api_key")}>
              {(props) => <input {...props} name="api_key" type="password" required autoComplete="off" className={`${input} font-mono`} />}
            </Field>
            <Field label={optionalLabel("Tags")} hint="Separated by spaces or commas." issues={at("tags")}>
              {(props) => <input {...props} name="tags" defaultValue={Array.isArray(same?.tags) ? (same.tags as string[]).join(" ") : undefined} placeholder="env:prod team:security" className={`${input} font-mono`} />}
            </Field>
            <Field label={optionalLabel("Intake URL")} hint="Instead of the site's intake: a Datadog-compatible endpoint, like an Observability Pipelines worker." issues={at("intake_url")}>
              {(props) => <input {...props} name="intake_url" type="url" defaultValue={str(same?.intake_url)} placeholder="https://pipelines.example.com" className={`${input} font-mono`} />}
            </Field>
          </>
        )}
      </div>
    </>
  );
}

/**
 * Splits a refusal into the issues each field shows and what the form's own
 * message still has to say (issues no field shows).
 */
export function placeIssues(error: { message: string; issues?: ErrorIssue[] }, shown: (key: string) => boolean): { fields: FieldIssues; rest: { message: string; issues?: ErrorIssue[] } } {
  const fields: FieldIssues = {};
  const unplaced: ErrorIssue[] = [];
  for (const issue of error.issues ?? []) {
    const key = fieldKeyOf(issue.path);
    if (shown(key)) (fields[key] ??= []).push(issue.path.startsWith("destination.headers.") ? `${issue.path.slice("destination.headers.".length)}: ${issue.message}` : issue.message);
    else unplaced.push(issue);
  }
  if (Object.keys(fields).length === 0) return { fields, rest: error };
  return { fields, rest: { message: "Not saved: correct the marked fields.", ...(unplaced.length ? { issues: unplaced } : {}) } };
}

/** The field keys a form shows, for placeIssues. */
export const BASIC_FIELDS = ["name", "format", "filter"];
export const DESTINATION_FIELDS = ["destination", "destination.type", ...["url", "body_format", "headers", "token", "index", "source", "sourcetype", "site", "service", "api_key", "tags", "intake_url"].map((f) => `destination.${f}`)];

/** The fields of a long dialog form scroll on their own, so Cancel and Save stay in view on a short screen. */
export function ScrollingFields({ children }: { children: ReactNode }) {
  return <div className="-mx-1 max-h-[min(60vh,40rem)] space-y-4 overflow-y-auto px-1 pb-1">{children}</div>;
}
