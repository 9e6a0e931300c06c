"use client";

import { Plus } from "lucide-react";
import { useState } from "react";
import { createStreamAction } from "@/app/orgs/[org]/settings/log-streams/actions";
import { FormDialog } from "@/components/ui/form-dialog";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { primaryButton } from "@/components/ui/styles";
import { BASIC_FIELDS, DESTINATION_FIELDS, DestinationFields, destinationFromForm, FormatFilterFields, NameField, placeIssues, ScrollingFields, type FieldIssues } from "./stream-fields";

const SHOWN = new Set([...BASIC_FIELDS, ...DESTINATION_FIELDS]);

/** "Add stream": the form, then for a webhook its signing secret, shown once. */
export function CreateStreamDialog({ org }: { org: string }) {
  const [issues, setIssues] = useState<FieldIssues>({});
  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <Plus className="size-4" aria-hidden /> Add stream
        </button>
      }
      title="Add a log stream"
      description="New events are sent from now on; an owner can replay earlier ones."
      submitLabel="Add stream"
      pendingLabel="Checking the destination…"
      submit={(form) =>
        createStreamAction(org, {
          name: String(form.get("name") ?? ""),
          format: String(form.get("format") ?? "orgtrail") as "orgtrail" | "ocsf",
          filter: String(form.get("filter") ?? ""),
          destination: destinationFromForm(form),
        })
      }
      onError={(error) => {
        const placed = placeIssues(error, (key) => SHOWN.has(key));
        setIssues(placed.fields);
        return placed.rest;
      }}
      onSuccess={() => setIssues({})}
      onClose={() => setIssues({})}
      outcome={(created, close) =>
        created.secret
          ? {
              title: `“${created.name}” added`,
              description: "Your receiver verifies each request's webhook-signature with this secret (Standard Webhooks).",
              content: (
                <SecretReveal
                  value={created.secret}
                  label="Webhook signing secret"
                  testId="stream-secret"
                  notice="This secret is shown only once. Orgtrail keeps it encrypted and shows only its last four characters."
                  doneLabel="I've stored it"
                  onDone={close}
                />
              ),
            }
          : null
      }
    >
      <ScrollingFields>
        <NameField issues={issues} />
        <DestinationFields issues={issues} />
        <FormatFilterFields issues={issues} />
      </ScrollingFields>
    </FormDialog>
  );
}
