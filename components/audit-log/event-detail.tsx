"use client";

import { Check, Copy } from "lucide-react";
import { useState, type ReactNode } from "react";
import { UAParser } from "ua-parser-js";
import type { AuditEvent, EventEntity } from "@/lib/events/types";
import type { ActionDisplay } from "./event-table";
import { FilterValue } from "./filter-value";
import { entityEmail } from "./format";
import { actorFilterTerm, targetFilterTerm } from "./query-edit";
import { SeverityBadge } from "./severity-badge";
import { Time } from "./time";
import { useTimeZoneMode } from "./time-preference";

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-[11.5px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-3 py-1.5 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={`min-w-0 break-words ${mono ? "font-mono text-[12.5px]" : ""}`}>{children}</dd>
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
      className="inline-flex h-7 items-center gap-1.5 rounded-md border border-zinc-200 px-2 text-xs font-medium text-zinc-600 hover:bg-zinc-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      {copied ? <Check className="size-3.5 text-emerald-600" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
      {copied ? "Copied" : label}
    </button>
  );
}

function MetadataList({ metadata }: { metadata: Record<string, unknown> | undefined }) {
  const entries = Object.entries(metadata ?? {});
  if (!entries.length) return null;
  return (
    <dl className="mt-2 rounded-md border border-zinc-200 bg-zinc-50/60 px-3 py-1 dark:border-zinc-800 dark:bg-zinc-900/60">
      {entries.map(([k, v]) => (
        <Field key={k} label={k} mono>
          {typeof v === "string" ? v : JSON.stringify(v)}
        </Field>
      ))}
    </dl>
  );
}

function Entity({ entity, role }: { entity: EventEntity; role: "actor" | "target" }) {
  const email = entityEmail(entity);
  // By type and id, which name one entity exactly (a name or an email may not).
  const term = role === "actor" ? actorFilterTerm(entity) : targetFilterTerm(entity);
  return (
    <div className="py-1">
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium">{entity.name ?? entity.id}</span>
        {email && email !== entity.name ? <span className="text-sm text-zinc-600 dark:text-zinc-400">{email}</span> : null}
      </div>
      <div className="font-mono text-xs text-zinc-600 dark:text-zinc-400">
        <FilterValue term={term} className="break-all">
          {entity.type}:{entity.id}
        </FilterValue>
      </div>
      <MetadataList metadata={entity.metadata} />
    </div>
  );
}

function UserAgent({ value }: { value: string }) {
  const ua = UAParser(value);
  const browser = [ua.browser.name, ua.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = [ua.os.name, ua.os.version].filter(Boolean).join(" ");
  const device = ua.device.type ? [ua.device.vendor, ua.device.model, `(${ua.device.type})`].filter(Boolean).join(" ") : "Desktop";
  const parsed = browser || os;
  return (
    <div>
      {parsed ? (
        <div className="flex flex-wrap gap-1.5" data-testid="user-agent-parsed">
          {[browser, os, device].filter(Boolean).map((part) => (
            <span key={part} className="rounded border border-zinc-200 px-1.5 py-0.5 text-xs dark:border-zinc-700">
              {part}
            </span>
          ))}
        </div>
      ) : null}
      <div className={`font-mono text-xs break-all text-zinc-600 dark:text-zinc-400 ${parsed ? "mt-1.5" : ""}`}>{value}</div>
    </div>
  );
}

/** Every field of one event, rendered as text only; used by the side panel and the permalink page. */
export function EventDetail({ event, display, header }: { event: AuditEvent; display?: ActionDisplay; header?: ReactNode }) {
  const [mode, setMode] = useTimeZoneMode();
  const json = JSON.stringify(event, null, 2);
  return (
    <article data-testid="event-detail" className="text-zinc-900 dark:text-zinc-100">
      <header className="px-5 pt-5 pb-4">
        {header}
        <h2 className="font-mono text-lg font-semibold break-all">
          <FilterValue term={{ key: "action", value: event.action }} className="break-all">
            {event.action}
          </FilterValue>
        </h2>
        {display?.label || display?.severity ? (
          <p className="mt-0.5 flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <SeverityBadge severity={display.severity} />
            {display.label}
          </p>
        ) : null}
        <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-300">
          <Time iso={event.occurred_at} full />
          <button type="button" onClick={() => setMode(mode === "utc" ? "local" : "utc")} className="rounded border border-zinc-200 px-1.5 text-xs text-zinc-600 dark:text-zinc-400 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
            Show {mode === "utc" ? "local time" : "UTC"}
          </button>
        </p>
      </header>
      <Section title="Actor">
        <Entity entity={event.actor} role="actor" />
      </Section>
      <Section title={`Targets (${event.targets.length})`}>
        {event.targets.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">None</p> : <div className="divide-y divide-zinc-100 dark:divide-zinc-800">{event.targets.map((t, i) => <Entity key={i} entity={t} role="target" />)}</div>}
      </Section>
      {Object.keys(event.metadata).length ? (
        <Section title="Metadata">
          <MetadataList metadata={event.metadata} />
        </Section>
      ) : null}
      <Section title="Context">
        <dl>
          <Field label="IP address" mono>
            {event.context.location ? <FilterValue term={{ key: "ip", value: event.context.location }} className="break-all">{event.context.location}</FilterValue> : "—"}
          </Field>
          <Field label="User agent">{event.context.user_agent ? <UserAgent value={event.context.user_agent} /> : "—"}</Field>
        </dl>
      </Section>
      <Section title="Record">
        <dl>
          <Field label="Event id" mono>
            {event.id}
          </Field>
          <Field label="Occurred">
            <Time iso={event.occurred_at} full />
          </Field>
          <Field label="Received">
            <Time iso={event.received_at} full />
          </Field>
          <Field label="Schema version">{event.version}</Field>
          <Field label="Sequence" mono>
            {event.seq}
          </Field>
          <Field label="Hash" mono>
            <span className="break-all">{event.hash}</span>
          </Field>
        </dl>
      </Section>
      <Section title="Raw JSON" aside={<CopyButton text={json} label="Copy JSON" />}>
        <pre tabIndex={0} role="region" aria-label="Raw JSON of the event" className="max-h-96 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed dark:border-zinc-800 dark:bg-zinc-900" data-testid="event-json">
          {json}
        </pre>
      </Section>
    </article>
  );
}
