"use client";

import { Pencil } from "lucide-react";
import { useState } from "react";
import { updateStreamAction } from "@/app/orgs/[org]/settings/log-streams/actions";
import { FormDialog } from "@/components/ui/form-dialog";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { secondaryButton } from "@/components/ui/styles";
import type { UpdateStreamInput } from "@/lib/streams/stream-input";
import { BASIC_FIELDS, DESTINATION_FIELDS, DestinationFields, destinationFromForm, FormatFilterFields, NameField, placeIssues, ScrollingFields, type DestinationDefaults, type FieldIssues } from "./stream-fields";

type Current = { name: string; format: string; filter: string; destination: DestinationDefaults };

/** Only what changed is sent, so the stream's `updated` event names just that. */
function changes(form: FormData, current: Current, withDestination: boolean): UpdateStreamInput {
  const input: UpdateStreamInput = {};
  const name = String(form.get("name") ?? "");
  const format = String(form.get("format") ?? current.format) as "orgtrail" | "ocsf";
  const filter = String(form.get("filter") ?? "");
  if (name.trim() !== current.name) input.name = name;
  if (format !== current.format) input.format = format;
  if (filter.trim() !== current.filter) input.filter = filter;
  if (withDestination) input.destination = destinationFromForm(form);
  return input;
}

/** Edit a stream's name, format, filter and, when asked, its destination (whose secrets are typed again). */
export function EditStreamDialog({ org, streamId, current }: { org: string; streamId: string; current: Current }) {
  const [issues, setIssues] = useState<FieldIssues>({});
  const [withDestination, setWithDestination] = useState(false);
  const shown = new Set([...BASIC_FIELDS, ...(withDestination ? DESTINATION_FIELDS : [])]);
  const reset = () => {
    setIssues({});
    setWithDestination(false);
  };
  return (
    <FormDialog
      trigger={
        <button type="button" className={secondaryButton}>
          <Pencil className="size-4" aria-hidden /> Edit
        </button>
      }
      title={`Edit “${current.name}”`}
      description="Changes apply from the next batch. Delivery continues from where it is."
      submitLabel="Save changes"
      pendingLabel="Saving…"
      submit={(form) => updateStreamAction(org, streamId, changes(form, current, withDestination))}
      onError={(error) => {
        const placed = placeIssues(error, (key) => shown.has(key));
        setIssues(placed.fields);
        return placed.rest;
      }}
      onClose={reset}
      outcome={(updated, close) =>
        updated.secret
          ? {
              title: "Webhook signing secret",
              description: "The stream is now a webhook: your receiver verifies each request with this secret.",
              content: <SecretReveal value={updated.secret} label="Webhook signing secret" testId="stream-secret" notice="This secret is shown only once." doneLabel="I've stored it" onDone={close} />,
            }
          : null
      }
    >
      <ScrollingFields>
        <NameField issues={issues} defaultValue={current.name} />
        <FormatFilterFields issues={issues} defaults={current} />
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" checked={withDestination} onChange={(e) => setWithDestination(e.target.checked)} className="mt-1 accent-indigo-600" />
          <span>
            <span className="font-medium">Change the destination</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">Its secrets (token, API key, header values) must be typed again. A webhook keeps its signing secret.</span>
          </span>
        </label>
        {withDestination ? <DestinationFields issues={issues} defaults={current.destination} /> : null}
      </ScrollingFields>
    </FormDialog>
  );
}
