"use client";

import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { createVendorKeyAction, revokeVendorKeyAction } from "@/app/admin/actions";
import { FormError, type FormErrorValue } from "@/components/ui/form-error";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Modal } from "@/components/ui/modal";
import { SecretField } from "@/components/ui/secret-field";
import { ScopesFieldset } from "@/components/ui/scopes-fieldset";
import { ghostDangerButton, inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";

const SCOPE_HELP: Record<string, string> = {
  "events:write": "Send events for any organization",
  "events:read": "Search and pull events (SIEM)",
  "exports:write": "Create exports",
  "schemas:write": "Manage event schemas from deploy scripts",
};

export function CreateVendorKeyButton({ scopes }: { scopes: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<FormErrorValue>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    start(async () => {
      const result = await createVendorKeyAction({ name: String(data.get("name") ?? ""), scopes: data.getAll("scopes").map(String) });
      if (!result.ok) return setError(result.error);
      setSecret(result.data.secret);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className={primaryButton} onClick={() => (setError(null), setSecret(null), setOpen(true))}>
        <KeyRound className="size-4" aria-hidden /> New API key
      </button>
      <Modal open={open} onOpenChange={setOpen} keepOpenOnOutsideClick={secret !== null} title={secret ? "Copy your new key" : "New vendor API key"} description={secret ? undefined : "A vendor-wide key reaches every customer organization. Give it only the scopes it needs."}>
        {secret ? (
          <div className="space-y-3">
            <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
              This is the only time the secret is shown. Store it in your secrets manager now; Orgtrail keeps only a hash.
            </p>
            <SecretField value={secret} label="API key" testId="new-key-secret" />
            <div className="flex justify-end">
              <button type="button" className={primaryButton} onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={onSubmit} className="space-y-4" noValidate>
            <label className="block text-sm font-medium">
              Name
              <input name="name" className={`${inputClass} mt-1`} placeholder="Production backend" autoFocus />
            </label>
            <ScopesFieldset scopes={scopes} help={SCOPE_HELP} />
            <FormError error={error} />
            <div className="flex justify-end gap-2">
              <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className={primaryButton} disabled={pending}>
                {pending ? "Creating…" : "Create key"}
              </button>
            </div>
          </form>
        )}
      </Modal>
    </>
  );
}

export function RevokeVendorKeyButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <button type="button" className={ghostDangerButton}>
          Revoke
        </button>
      }
      title={`Revoke ${name}?`}
      description="Requests with this key are refused from the moment you confirm. This cannot be undone."
      confirmLabel="Revoke key"
      onConfirm={() => revokeVendorKeyAction(id)}
    />
  );
}
