import type { ReactNode } from "react";
import type { StreamJson } from "@/lib/streams/stream-view";
import { StreamStateBadge } from "./stream-state-badge";
import { BODY_FORMAT_LABELS, destinationTarget, DESTINATION_LABELS, FORMAT_LABELS, utc } from "./stream-labels";
import { lagText } from "./streams-table";
import { TimeAgo } from "./time-ago";

const SECRET_LABELS: Record<string, string> = {
  signing_secret: "Signing secret",
  previous_signing_secret: "Previous signing secret (signs too until 24 h after the rotation)",
  token: "HEC token",
  api_key: "API key",
};

function Item({ term, children, wide = false }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "sm:col-span-2" : ""}>
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{term}</dt>
      <dd className="mt-1 text-sm break-words">{children}</dd>
    </div>
  );
}

const mono = (value: unknown) => <span className="font-mono text-xs">{String(value)}</span>;

/** The destination's public settings for its type; secrets appear only as hints. */
function destinationItems(destination: StreamJson["destination"]): [string, ReactNode][] {
  const d = destination;
  switch (d.type) {
    case "webhook": {
      const headers = Array.isArray(d.header_names) ? (d.header_names as string[]) : [];
      return [
        ["Body", BODY_FORMAT_LABELS[d.body_format as keyof typeof BODY_FORMAT_LABELS] ?? String(d.body_format)],
        ["Custom headers", headers.length ? mono(headers.join(", ")) : "None"],
      ];
    }
    case "splunk_hec":
      return [
        ["Index", d.index ? mono(d.index) : "The token's default"],
        ["Source · sourcetype", mono(`${String(d.source)} · ${String(d.sourcetype ?? "orgtrail:audit / orgtrail:ocsf")}`)],
      ];
    case "datadog": {
      const tags = Array.isArray(d.tags) ? (d.tags as string[]) : [];
      return [
        ["Site", mono(d.site)],
        ["Service · source", mono(`${String(d.service)} · ${String(d.ddsource)}`)],
        ["Tags", tags.length ? mono(tags.join(" ")) : "None"],
      ];
    }
  }
}

/** State, lag and the stream's settings, as people who manage or audit it need them. */
export function StreamSummary({ stream }: { stream: StreamJson }) {
  const hints = Object.entries(stream.destination.secret_hints);
  return (
    <div className="divide-y divide-zinc-200 dark:divide-zinc-800">
      <dl className="grid gap-5 px-5 py-4 sm:grid-cols-2 lg:grid-cols-4">
        <Item term="State">
          <StreamStateBadge stream={stream} />
          {stream.paused_reason ? <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{stream.paused_reason}</p> : null}
          {stream.failing_since ? (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Failing since <time dateTime={stream.failing_since}>{utc(stream.failing_since)}</time>
            </p>
          ) : null}
          {stream.next_attempt_at ? (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Next attempt <time dateTime={stream.next_attempt_at}>{utc(stream.next_attempt_at)}</time>
            </p>
          ) : null}
        </Item>
        <Item term="Lag">
          <span className="tabular-nums" data-testid="stream-lag">
            {lagText(stream.lag_events)}
          </span>
          <p className="mt-1 font-mono text-xs text-zinc-600 dark:text-zinc-400" data-testid="stream-cursor">
            delivered through seq {stream.cursor_seq.toLocaleString("en-US")} of {stream.head_seq.toLocaleString("en-US")}
          </p>
        </Item>
        <Item term="Last delivery">{stream.last_delivered_at ? <TimeAgo iso={stream.last_delivered_at} /> : "Nothing delivered yet"}</Item>
        <Item term="Last error">{stream.last_error ? <span className="font-mono text-xs text-red-700 dark:text-red-400">{stream.last_error}</span> : "None"}</Item>
      </dl>
      <dl className="grid gap-5 px-5 py-4 sm:grid-cols-2">
        <Item term="Destination">
          {DESTINATION_LABELS[stream.type]}
          <p className="mt-0.5 font-mono text-xs break-all text-zinc-700 dark:text-zinc-300" data-testid="stream-url">
            {destinationTarget(stream.destination)}
          </p>
        </Item>
        <Item term="Format">{FORMAT_LABELS[stream.format]}</Item>
        {destinationItems(stream.destination).map(([term, value]) => (
          <Item key={term} term={term}>
            {value}
          </Item>
        ))}
        <Item term="Filter">{stream.filter ? mono(stream.filter) : "All events"}</Item>
        <Item term="Secrets" wide>
          <ul className="space-y-0.5">
            {hints.map(([name, hint]) => (
              <li key={name}>
                {SECRET_LABELS[name] ?? name}: <span className="font-mono text-xs">{hint}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Kept encrypted; never shown again, only their last four characters.</p>
        </Item>
        <Item term="Created">
          <TimeAgo iso={stream.created_at} />
          {stream.created_by ? ` by ${stream.created_by}` : null}
        </Item>
      </dl>
    </div>
  );
}
