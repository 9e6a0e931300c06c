"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { MailPlus, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { inviteMemberAction } from "@/app/orgs/[org]/settings/members/actions";
import { CopyButton } from "./copy-button";
import { ErrorNote, ROLE_DESCRIPTIONS, inputClass, primaryButton, secondaryButton } from "./ui";

export function InviteDialog({ org, canInviteOwner }: { org: string; canInviteOwner: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ url: string; email: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const roles = (canInviteOwner ? ["member", "auditor", "admin", "owner"] : ["member", "auditor", "admin"]) as string[];

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      if (link) router.refresh();
      setError(null);
      setLink(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "member"), externalId: String(form.get("externalId") ?? "") };
    startTransition(async () => {
      const result = await inviteMemberAction(org, input);
      if (!result.ok) return setError(result.error);
      setError(null);
      setLink({ url: `${window.location.origin}${result.data.path}`, email: input.email.trim().toLowerCase() });
    });
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger className={primaryButton}>
        <MailPlus className="size-4" aria-hidden /> Invite member
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/40 backdrop-blur-[1px]" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-zinc-200 bg-white p-6 shadow-xl dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <Dialog.Title className="text-base font-semibold">{link ? "Invite link ready" : "Invite a member"}</Dialog.Title>
              <Dialog.Description className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
                {link ? `Send this link to ${link.email}. It works once and expires in 7 days; it will not be shown again.` : "They get a one-time link to join. No email is sent: you share the link yourself."}
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label="Close">
              <X className="size-4" aria-hidden />
            </Dialog.Close>
          </div>
          {link ? (
            <div className="space-y-4">
              <div className="flex items-center gap-2">
                <input readOnly value={link.url} aria-label="Invite link" data-testid="invite-link" className={`${inputClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
                <CopyButton value={link.url} />
              </div>
              <div className="flex justify-end">
                <Dialog.Close className={secondaryButton}>Done</Dialog.Close>
              </div>
            </div>
          ) : (
            <form className="space-y-4" onSubmit={onSubmit} noValidate>
              <label className="block text-sm font-medium">
                Email
                <input name="email" type="email" required autoFocus placeholder="name@company.com" className={`${inputClass} mt-1`} />
              </label>
              <fieldset>
                <legend className="text-sm font-medium">Role</legend>
                <div className="mt-1 grid gap-2">
                  {roles.map((role) => (
                    <label key={role} className="flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:bg-indigo-950/40">
                      <input type="radio" name="role" value={role} defaultChecked={role === "member"} className="mt-1 accent-indigo-600" />
                      <span>
                        <span className="font-medium capitalize">{role}</span>
                        <span className="block text-xs text-zinc-500 dark:text-zinc-400">{ROLE_DESCRIPTIONS[role]}</span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <label className="block text-sm font-medium">
                External id <span className="font-normal text-zinc-500">(optional)</span>
                <input name="externalId" placeholder="u_42" className={`${inputClass} mt-1 font-mono`} />
                <span className="mt-1 block text-xs font-normal text-zinc-500">Their user id in your product, as sent in events&apos; actor and target ids.</span>
              </label>
              <ErrorNote message={error} />
              <div className="flex justify-end gap-2">
                <Dialog.Close className={secondaryButton} type="button">
                  Cancel
                </Dialog.Close>
                <button type="submit" className={primaryButton} disabled={pending}>
                  {pending ? "Creating…" : "Create invite link"}
                </button>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
