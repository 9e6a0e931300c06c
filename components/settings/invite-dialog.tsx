"use client";

import { MailPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { inviteMemberAction } from "@/app/orgs/[org]/settings/members/actions";
import { FormError } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { SecretField } from "@/components/ui/secret-field";
import { inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";
import { ROLE_DESCRIPTIONS } from "./ui";

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
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={link ? "Invite link ready" : "Invite a member"}
      description={link ? `Send this link to ${link.email}. It works once and expires in 7 days; it will not be shown again.` : "They get a one-time link to join. No email is sent: you share the link yourself."}
      trigger={
        <button type="button" className={primaryButton}>
          <MailPlus className="size-4" aria-hidden /> Invite member
        </button>
      }
      keepOpenOnOutsideClick={link !== null}
    >
      {link ? (
        <div className="space-y-4">
          <SecretField value={link.url} label="Invite link" testId="invite-link" />
          <div className="flex justify-end">
            <button type="button" className={secondaryButton} onClick={() => onOpenChange(false)}>
              Done
            </button>
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
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={() => onOpenChange(false)}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? "Creating…" : "Create invite link"}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
