"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { setPasswordAction } from "@/app/set-password/[token]/actions";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { inputClass, primaryButton } from "@/components/ui/styles";
import { PasswordFields } from "./password-fields";

/** Sets the password with a one-time link, then sends the person to sign in with it. */
export function SetPasswordForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setError({ message: "The two passwords differ." });
    setError(null);
    startTransition(async () => {
      const result = await setPasswordAction(token, password);
      if (!result.ok) return setError(result.error);
      router.replace("/login?notice=password-set");
    });
  }

  return (
    <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
      {/* Lets a password manager file the new password under the right account. */}
      <label className="block text-sm font-medium">
        Email
        <input className={`${inputClass} mt-1 bg-zinc-50 text-zinc-600 dark:bg-zinc-900`} value={email} readOnly autoComplete="username" />
      </label>
      <PasswordFields autoFocus />
      <FormError error={error} />
      <button type="submit" className={`${primaryButton} w-full py-2`} disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
