"use client";

import { useState, useTransition, type FormEvent } from "react";
import { changePasswordAction } from "@/app/account/actions";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { inputClass, primaryButton } from "@/components/ui/styles";

/** Current, new and repeated password. Success ends every session, so the action leads on to sign-in. */
export function ChangePasswordForm() {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    };
    startTransition(async () => {
      const result = await changePasswordAction(input);
      if (!result.ok) setError(result.error);
    });
  }

  const label = "block text-sm font-medium";
  return (
    <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
      <label className={label}>
        Current password
        <input className={`${inputClass} mt-1`} name="currentPassword" type="password" autoComplete="current-password" required autoFocus />
      </label>
      <label className={label}>
        New password
        <input className={`${inputClass} mt-1`} name="newPassword" type="password" autoComplete="new-password" required minLength={12} maxLength={1024} />
        <span className="mt-1 block text-xs font-normal text-zinc-500">At least 12 characters.</span>
      </label>
      <label className={label}>
        Repeat the new password
        <input className={`${inputClass} mt-1`} name="confirmPassword" type="password" autoComplete="new-password" required />
      </label>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Changing your password signs you out everywhere, here too. You then sign in with the new one.</p>
      <FormError error={error} />
      <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
