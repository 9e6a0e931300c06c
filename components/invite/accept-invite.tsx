"use client";

import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { acceptAsNewAccountAction, acceptAsSignedInAction } from "@/app/invite/[token]/actions";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";

type Props = { token: string; email: string; organizationName: string; accountExists: boolean; signedInAs: string | null };

/** Joins as the signed-in account, signs in then joins, or creates the account with a password and joins. */
export function AcceptInvite({ token, email, organizationName, accountExists, signedInAs }: Props) {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();

  const land = (slug: string) => {
    router.replace(`/orgs/${slug}/audit-logs`);
    router.refresh();
  };

  const join = () =>
    startTransition(async () => {
      const result = await acceptAsSignedInAction(token);
      if (!result.ok) return setError(result.error);
      land(result.data.organizationSlug);
    });

  if (signedInAs && signedInAs === email) {
    return (
      <div className="mt-6 space-y-4">
        <FormError error={error} />
        <button type="button" className={`${primaryButton} w-full`} onClick={join} disabled={pending}>
          {pending ? "Joining…" : `Join ${organizationName}`}
        </button>
      </div>
    );
  }

  if (signedInAs) {
    return (
      <div className="mt-6 space-y-4 text-sm">
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          You are signed in as {signedInAs}. Sign out to accept this invite as {email}.
        </p>
        <button type="button" className={`${secondaryButton} w-full`} onClick={() => void signOut({ callbackUrl: `/invite/${token}` })}>
          Sign out
        </button>
      </div>
    );
  }

  function onSignIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    startTransition(async () => {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) return setError({ message: "That password doesn't match. Try again." });
      const joined = await acceptAsSignedInAction(token);
      if (!joined.ok) return setError(joined.error);
      land(joined.data.organizationSlug);
    });
  }

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "");
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setError({ message: "The two passwords differ." });
    startTransition(async () => {
      const joined = await acceptAsNewAccountAction(token, { name, password });
      if (!joined.ok) return setError(joined.error);
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) return router.replace("/login");
      land(joined.data.organizationSlug);
    });
  }

  if (accountExists) {
    return (
      <form className="mt-6 space-y-4" onSubmit={onSignIn} noValidate>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Sign in to accept.</p>
        <label className="block text-sm font-medium">
          Email
          <input className={`${inputClass} mt-1`} value={email} readOnly autoComplete="username" />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input className={`${inputClass} mt-1`} name="password" type="password" autoComplete="current-password" required autoFocus />
        </label>
        <FormError error={error} />
        <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
          {pending ? "Joining…" : "Sign in and join"}
        </button>
      </form>
    );
  }

  return (
    <form className="mt-6 space-y-4" onSubmit={onCreate} noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Create your Orgtrail account to accept.</p>
      <label className="block text-sm font-medium">
        Email
        <input className={`${inputClass} mt-1`} value={email} readOnly autoComplete="username" />
      </label>
      <label className="block text-sm font-medium">
        Your name
        <input className={`${inputClass} mt-1`} name="name" required autoFocus autoComplete="name" maxLength={200} />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input className={`${inputClass} mt-1`} name="password" type="password" autoComplete="new-password" required minLength={12} />
        <span className="mt-1 block text-xs font-normal text-zinc-500">At least 12 characters.</span>
      </label>
      <label className="block text-sm font-medium">
        Confirm password
        <input className={`${inputClass} mt-1`} name="confirm" type="password" autoComplete="new-password" required />
      </label>
      <FormError error={error} />
      <button type="submit" className={`${primaryButton} w-full`} disabled={pending}>
        {pending ? "Creating account…" : "Create account and join"}
      </button>
    </form>
  );
}
