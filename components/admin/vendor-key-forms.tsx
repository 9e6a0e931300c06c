"use client";

import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { createVendorKeyAction, revokeVendorKeyAction } from "@/app/admin/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { ScopesFieldset } from "@/components/ui/scopes-fieldset";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { ghostDangerButton, inputClass, primaryButton } from "@/components/ui/styles";

const SCOPE_HELP: Record<string, string> = {
  "events:write": "Send events for any organization",
  "events:read": "Search and pull events (SIEM)",
  "exports:write": "Create exports",
  "schemas:write": "Manage event schemas from deploy scripts",
  "portal:write": "Make one-time portal links that sign your users in to their organization",
  "orgs:write": "Read organizations and set their WorkOS organization ids (aliases)",
  "retention:write": "Read and set an organization's retention (the WorkOS-compatible API)",
};

export function CreateVendorKeyButton({ scopes }: { scopes: readonly string[] }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <KeyRound className="size-4" aria-hidden /> New API key
        </button>
      }
      title="New vendor API key"
      description="A vendor-wide key reaches every customer organization. Give it only the scopes it needs."
      submitLabel="Create key"
      pendingLabel="Creating…"
      submit={(data) => createVendorKeyAction({ name: String(data.get("name") ?? ""), scopes: data.getAll("scopes").map(String) })}
      onSuccess={() => router.refresh()}
      outcome={(key, close) => ({
        title: "Copy your new key",
        content: (
          <SecretReveal
            value={key.secret}
            label="API key"
            testId="new-key-secret"
            notice="This is the only time the secret is shown. Store it in your secrets manager now; Orgtrail keeps only a hash."
            onDone={close}
          />
        ),
      })}
    >
      <label className="block text-sm font-medium">
        Name
        <input name="name" className={`${inputClass} mt-1`} placeholder="Production backend" autoFocus />
      </label>
      <ScopesFieldset scopes={scopes} help={SCOPE_HELP} />
    </FormDialog>
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
