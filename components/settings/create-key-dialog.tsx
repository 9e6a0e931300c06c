"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { KeyRound, TriangleAlert, X } from "lucide-react";
import { useState, useTransition, type FormEvent } from "react";
import { createKeyAction } from "@/app/orgs/[org]/settings/api-keys/actions";
import { CopyButton } from "./copy-button";
import { ErrorNote, inputClass, primaryButton, secondaryButton } from "./ui";

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
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setCreated(null);
          setError(null);
        }
      }}
    >
      <Dialog.Trigger className={primaryButton}>
        <KeyRound className="size-4" aria-hidden /> Create key
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
        <Dialog.Content
          className="fixed top-1/2 left-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-zinc-200 bg-white p-6 shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
          onInteractOutside={(e) => created && e.preventDefault()}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <Dialog.Title className="text-base font-semibold">{created ? `“${created.name}” created` : "Create an API key"}</Dialog.Title>
              <Dialog.Description className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
                {created ? "Copy the secret now and store it in your secret manager." : "Give it a name that says where it is used."}
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label="Close">
              <X className="size-4" aria-hidden />
            </Dialog.Close>
          </div>
          {created ? (
            <div className="space-y-4">
              <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> This secret is shown only once. Orgtrail keeps only a hash of it.
              </p>
              <div className="flex items-center gap-2">
                <input readOnly value={created.secret} aria-label="API key secret" data-testid="api-key-secret" className={`${inputClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
                <CopyButton value={created.secret} />
              </div>
              <div className="flex justify-end">
                <Dialog.Close className={secondaryButton}>I&apos;ve stored it</Dialog.Close>
              </div>
            </div>
          ) : (
            <form className="space-y-4" onSubmit={onSubmit} noValidate>
              <label className="block text-sm font-medium">
                Name
                <input name="name" required autoFocus maxLength={100} placeholder="Production backend" className={`${inputClass} mt-1`} />
              </label>
              <fieldset>
                <legend className="text-sm font-medium">Scopes</legend>
                <div className="mt-1 grid gap-2">
                  {scopes.map((scope) => (
                    <label key={scope} className="flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:bg-indigo-950/40">
                      <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "events:write"} className="mt-1 accent-indigo-600" />
                      <span>
                        <span className="font-mono text-xs font-medium">{scope}</span>
                        <span className="block text-xs text-zinc-500 dark:text-zinc-400">{SCOPE_HELP[scope]}</span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <ErrorNote message={error} />
              <div className="flex justify-end gap-2">
                <Dialog.Close className={secondaryButton} type="button">
                  Cancel
                </Dialog.Close>
                <button type="submit" className={primaryButton} disabled={pending}>
                  {pending ? "Creating…" : "Create key"}
                </button>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
