"use client";

import { KeyRound } from "lucide-react";
import { createKeyAction } from "@/app/orgs/[org]/settings/api-keys/actions";
import { FormDialog } from "@/components/ui/form-dialog";
import { ScopesFieldset } from "@/components/ui/scopes-fieldset";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { inputClass, primaryButton } from "@/components/ui/styles";

const SCOPE_HELP: Record<string, string> = {
  "events:write": "Send events (POST /api/v1/events)",
  "events:read": "Search and pull events, verify the chain",
  "exports:write": "Create CSV and NDJSON exports",
};

export function CreateKeyDialog({ org, scopes }: { org: string; scopes: string[] }) {
  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <KeyRound className="size-4" aria-hidden /> Create key
        </button>
      }
      title="Create an API key"
      description="Give it a name that says where it is used."
      submitLabel="Create key"
      pendingLabel="Creating…"
      submit={(form) => createKeyAction(org, { name: String(form.get("name") ?? ""), scopes: form.getAll("scopes").map(String) })}
      outcome={(created, close) => ({
        title: `“${created.name}” created`,
        description: "Copy the secret now and store it in your secret manager.",
        content: (
          <SecretReveal
            value={created.secret}
            label="API key secret"
            testId="api-key-secret"
            notice="This secret is shown only once. Orgtrail keeps only a hash of it."
            doneLabel="I've stored it"
            onDone={close}
          />
        ),
      })}
    >
      <label className="block text-sm font-medium">
        Name
        <input name="name" required autoFocus maxLength={100} placeholder="Production backend" className={`${inputClass} mt-1`} />
      </label>
      <ScopesFieldset scopes={scopes} help={SCOPE_HELP} />
    </FormDialog>
  );
}
