"use client";

import { format } from "date-fns";
import { AlertTriangle, Link2, UserMinus, UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeStaffRoleAction, inviteStaffAction, removeStaffAction, resendStaffLinkAction } from "@/app/admin/staff/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { ghostDangerButton, inputClass, primaryButton } from "@/components/ui/styles";
import { STAFF_ROLES } from "@/lib/admin/staff-roles";
import type { PlatformRole } from "@/db/schema";

export type StaffRowMember = { id: string; name: string; email: string; role: PlatformRole };

const rowButton = "inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800";

/** A set-password link, shown once, with when it stops working. */
function oneTimeLink(link: { url: string; expiresAt: string }, who: string, close: () => void) {
  return (
    <SecretReveal
      value={link.url}
      label="set-password link"
      testId="set-password-link"
      notice={`Send this link to ${who} over a channel you trust. It is shown only now, works once, and expires ${format(new Date(link.expiresAt), "MMM d 'at' HH:mm")}. Orgtrail keeps only a hash of it.`}
      onDone={close}
    />
  );
}

export function InviteStaffButton() {
  const [needsConfirmation, setNeedsConfirmation] = useState(false);
  const router = useRouter();

  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <UserPlus className="size-4" aria-hidden /> Invite staff
        </button>
      }
      title="Invite vendor staff"
      description="They get an account without a password and set one with a one-time link."
      submitLabel="Invite"
      pendingLabel="Inviting…"
      submit={(data) =>
        inviteStaffAction({
          email: String(data.get("email") ?? ""),
          name: String(data.get("name") ?? ""),
          role: String(data.get("role") ?? ""),
          ...(needsConfirmation ? { confirmExistingAccount: data.get("confirmExistingAccount") === "on" } : {}),
        })
      }
      onError={(error) => {
        // The server asks for a confirmation before an existing customer account becomes staff.
        if (!error.issues?.some((issue) => issue.path === "confirmExistingAccount")) return error;
        setNeedsConfirmation(true);
        return { message: error.message };
      }}
      onSuccess={() => router.refresh()}
      onOpenChange={(open) => open && setNeedsConfirmation(false)}
      outcome={(invited, close) =>
        invited.link
          ? { title: "Copy the set-password link", content: oneTimeLink(invited.link, invited.email, close) }
          : {
              title: "Staff role given",
              content: (
                <div className="space-y-3">
                  <p className="text-sm">
                    {invited.email} already had an Orgtrail account and now has the role. They sign in as before; no link is needed.
                  </p>
                  <div className="flex justify-end">
                    <button type="button" className={primaryButton} onClick={close}>
                      Done
                    </button>
                  </div>
                </div>
              ),
            }
      }
    >
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" className={`${inputClass} mt-1`} placeholder="sam@your-company.com" autoFocus onChange={() => needsConfirmation && setNeedsConfirmation(false)} />
      </label>
      <label className="block text-sm font-medium">
        Name
        <input name="name" className={`${inputClass} mt-1`} placeholder="Sam Rivera" />
      </label>
      <fieldset>
        <legend className="text-sm font-medium">Role</legend>
        <div className="mt-1 space-y-2">
          {STAFF_ROLES.map((option) => (
            <label
              key={option.role}
              className="flex cursor-pointer gap-3 rounded-md border border-zinc-200 p-3 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:border-indigo-500 dark:has-[:checked]:bg-indigo-950/40"
            >
              <input type="radio" name="role" value={option.role} defaultChecked={option.role === "vendor_support"} className="mt-0.5 accent-indigo-600" />
              <span>
                <span className="block font-medium">{option.label}</span>
                <span className="block text-zinc-500 dark:text-zinc-400">{option.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {needsConfirmation ? (
        <label className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span className="flex-1">This person would reach every customer as vendor staff, besides their own organizations.</span>
          <input type="checkbox" name="confirmExistingAccount" className="mt-0.5 accent-amber-600" aria-label="Give the existing account this role" />
        </label>
      ) : null}
    </FormDialog>
  );
}

/** Leaves the console after taking one's own admin role away: its pages are closed to them now. */
function leaveIfSelf(self: boolean, router: ReturnType<typeof useRouter>) {
  if (self) router.push("/");
  else router.refresh();
}

/** The role of a staff member, changed on the spot; a refusal (the last vendor admin) shows under it. */
export function StaffRoleSelect({ member, isSelf }: { member: StaffRowMember; isSelf: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div>
      <select
        aria-label={`Role of ${member.name}`}
        value={member.role}
        disabled={pending}
        onChange={(event) => {
          const role = event.target.value;
          start(async () => {
            const result = await changeStaffRoleAction(member.id, role);
            setError(result.ok ? null : result.error.message);
            if (result.ok) leaveIfSelf(isSelf && result.data.changed, router);
          });
        }}
        className="rounded-md border border-zinc-300 bg-white py-1 pr-7 pl-2 text-sm shadow-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950"
      >
        {STAFF_ROLES.map((option) => (
          <option key={option.role} value={option.role}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p role="alert" data-testid="staff-role-error" className="mt-1.5 flex max-w-72 items-start gap-1.5 text-xs text-red-700 dark:text-red-400">
          <AlertTriangle className="mt-px size-3.5 shrink-0" aria-hidden />
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function RemoveStaffButton({ member, isSelf }: { member: StaffRowMember; isSelf: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <button type="button" className={ghostDangerButton} aria-label={`Remove ${member.name} from staff`}>
          <UserMinus className="size-4" aria-hidden /> Remove
        </button>
      }
      title={isSelf ? "Give up your staff role?" : `Remove ${member.name} from staff?`}
      description={`${member.email} loses the staff role at once, and any open support access ends. The account stays, with its organizations; the vendor log keeps what they did.`}
      confirmLabel="Remove from staff"
      onConfirm={async () => {
        const result = await removeStaffAction(member.id);
        if (!result.ok) return result;
        leaveIfSelf(result.data.self, router);
        return { ok: true };
      }}
    />
  );
}

export function ResendLinkButton({ member }: { member: StaffRowMember }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" className={rowButton}>
          <Link2 className="size-4" aria-hidden /> New link
        </button>
      }
      title={`New set-password link for ${member.name}`}
      description="Links sent to them before stop working."
      submitLabel="Create new link"
      pendingLabel="Creating link…"
      submit={() => resendStaffLinkAction(member.id)}
      onSuccess={() => router.refresh()}
      outcome={(link, close) => ({ title: "Copy the set-password link", content: oneTimeLink(link, member.email, close) })}
    />
  );
}
