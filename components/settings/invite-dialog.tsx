"use client";

import { MailPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { inviteMemberAction } from "@/app/orgs/[org]/settings/members/actions";
import { FormDialog } from "@/components/ui/form-dialog";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { inputClass, primaryButton } from "@/components/ui/styles";
import { ROLE_DESCRIPTIONS } from "./ui";

export function InviteDialog({ org, canInviteOwner }: { org: string; canInviteOwner: boolean }) {
  const router = useRouter();
  const roles = (canInviteOwner ? ["member", "auditor", "admin", "owner"] : ["member", "auditor", "admin"]) as string[];

  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <MailPlus className="size-4" aria-hidden /> Invite member
        </button>
      }
      title="Invite a member"
      description="They get a one-time link to join. No email is sent: you share the link yourself."
      submitLabel="Create invite link"
      pendingLabel="Creating…"
      submit={async (form) => {
        const input = { email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "member"), externalId: String(form.get("externalId") ?? "") };
        const result = await inviteMemberAction(org, input);
        return result.ok ? { ok: true, data: { url: `${window.location.origin}${result.data.path}`, email: input.email.trim().toLowerCase() } } : result;
      }}
      outcome={(link, close) => ({
        title: "Invite link ready",
        description: `Send this link to ${link.email}. It works once and expires in 7 days; it will not be shown again.`,
        content: <SecretReveal value={link.url} label="Invite link" testId="invite-link" notice="The link is shown only now: copy it before you close this dialog." onDone={close} />,
      })}
      // The pending invites list is refreshed once the link is no longer on screen.
      onClose={(link) => link && router.refresh()}
    >
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
    </FormDialog>
  );
}
