import type { ReactNode } from "react";
import type { AuditEvent, EventEntity } from "@/lib/events/types";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-3 py-2 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function Entity({ entity }: { entity: EventEntity }) {
  return (
    <div>
      <div className="font-medium">{entity.name ?? entity.id}</div>
      <div className="font-mono text-xs text-zinc-500">
        {entity.type}:{entity.id}
      </div>
      {entity.metadata && Object.keys(entity.metadata).length > 0 ? (
        <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{JSON.stringify(entity.metadata, null, 2)}</pre>
      ) : null}
    </div>
  );
}

/** Every field of one event, as text: values are never rendered as HTML. */
export function EventDetail({ event }: { event: AuditEvent }) {
  return (
    <article className="rounded-lg border border-zinc-200 dark:border-zinc-800" data-testid="event-detail">
      <header className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h1 className="font-mono text-base font-semibold">{event.action}</h1>
        <p className="text-sm text-zinc-500">{event.occurred_at}</p>
      </header>
      <dl className="divide-y divide-zinc-100 px-4 dark:divide-zinc-800">
        <Field label="Event id">
          <span className="font-mono text-xs">{event.id}</span>
        </Field>
        <Field label="Actor">
          <Entity entity={event.actor} />
        </Field>
        <Field label="Targets">
          {event.targets.length === 0 ? "—" : <div className="space-y-2">{event.targets.map((t, i) => <Entity key={i} entity={t} />)}</div>}
        </Field>
        <Field label="IP address">{event.context.location ?? "—"}</Field>
        <Field label="User agent">{event.context.user_agent ?? "—"}</Field>
        <Field label="Occurred at">{event.occurred_at}</Field>
        <Field label="Received at">{event.received_at}</Field>
        <Field label="Version">{event.version}</Field>
        <Field label="Sequence">{event.seq}</Field>
        <Field label="Hash">
          <span className="font-mono text-xs">{event.hash}</span>
        </Field>
      </dl>
      <details className="border-t border-zinc-200 px-4 py-3 dark:border-zinc-800" open>
        <summary className="cursor-pointer text-sm font-medium">Raw JSON</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900" data-testid="event-json">
          {JSON.stringify(event, null, 2)}
        </pre>
      </details>
    </article>
  );
}
