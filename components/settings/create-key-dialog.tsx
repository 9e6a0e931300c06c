"use client";

import { KeyRound, TriangleAlert } from "lucide-react";
import { useState, useTransition, type FormEvent } from "react";
import { createKeyAction } from "@/app/orgs/[org]/settings/api-keys/actions";
import { FormError } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { SecretField } from "@/components/ui/secret-field";
import { ScopesFieldset } from "@/components/ui/scopes-fieldset";
import { inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";

const SCOPE_HELP: Record<string, string> = {
  "events:write": "Send events (POST /api/v1/events)",
  "events:read": "Search and pull events, verify the chain",
  "exports:write": "Create CSV and NDJSON exports",
};

export function CreateKeyDialog({ org, scopes }: { org: string; scopes: string[] }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      setError(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get("name") ?? ""), scopes: form.getAll("scopes").map(String) };
    startTransition(async () => {
      const result = await createKeyAction(org, input);
      if (!result.ok) return setError(result.error);
      setError(null);
      setCreated({ name: result.data.name, secret: result.data.secret });
    });
  }

  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={created ? `“${created.name}” created` : "Create an API key"}
      description={created ? "Copy the secret now and store it in your secret manager." : "Give it a name that says where it is used."}
      trigger={
        <button type="button" className={primaryButton}>
          <KeyRound className="size-4" aria-hidden /> Create key
        </button>
      }
      keepOpenOnOutsideClick={created !== null}
    >
      {created ? (
        <div className="space-y-4">
          <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> This secret is shown only once. Orgtrail keeps only a hash of it.
          </p>
          <SecretField value={created.secret} label="API key secret" testId="api-key-secret" />
          <div className="flex justify-end">
            <button type="button" className={secondaryButton} onClick={() => onOpenChange(false)}>
              I&apos;ve stored it
            </button>
          </div>
        </div>
      ) : (
        <form className="space-y-4" onSubmit={onSubmit} noValidate>
          <label className="block text-sm font-medium">
            Name
            <input name="name" required autoFocus maxLength={100} placeholder="Production backend" className={`${inputClass} mt-1`} />
          </label>
          <ScopesFieldset scopes={scopes} help={SCOPE_HELP} />
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={() => onOpenChange(false)}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? "Creating…" : "Create key"}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
