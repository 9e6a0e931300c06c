"use client";

import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition, type FormEvent } from "react";
import { createFirstAdminAction } from "@/app/setup/actions";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { inputClass, primaryButton } from "@/components/ui/styles";
import { PasswordFields } from "./password-fields";

/** The first-run form: the setup token from the server log, then the vendor admin's email, name and password. */
export function FirstAdminForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();

  // The token is in the form now; keep it out of the address bar and the browser history.
  useEffect(() => {
    if (window.location.search) window.history.replaceState(null, "", window.location.pathname);
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setError({ message: "The two passwords differ." });
    const input = { token: String(form.get("token") ?? ""), email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), password };
    setError(null);
    startTransition(async () => {
      const result = await createFirstAdminAction(input);
      if (!result.ok) return setError(result.error);
      router.replace("/login?notice=admin-created");
    });
  }

  return (
    <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
      <div className="rounded-lg border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950/60">
        <label className="block text-sm font-medium">
          Setup token
          <div className="relative mt-1">
            <KeyRound className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" aria-hidden />
            <input className={`${inputClass} pl-8 font-mono text-xs`} name="token" defaultValue={token} required autoComplete="off" spellCheck={false} autoFocus={!token} />
          </div>
        </label>
        <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          Proves you run this server: it is in the line <code className="font-mono">[orgtrail] No vendor admin yet</code> of the server log.
        </p>
      </div>
      <h2 className="pt-2 text-sm font-semibold">Your admin account</h2>
      <label className="block text-sm font-medium">
        Work email
        <input className={`${inputClass} mt-1`} name="email" type="email" autoComplete="username" required autoFocus={Boolean(token)} placeholder="you@company.com" />
      </label>
      <label className="block text-sm font-medium">
        Your name
        <input className={`${inputClass} mt-1`} name="name" autoComplete="name" required maxLength={200} />
      </label>
      <PasswordFields />
      <FormError error={error} />
      <button type="submit" className={`${primaryButton} w-full py-2`} disabled={pending}>
        {pending ? "Creating…" : "Create vendor admin"}
      </button>
    </form>
  );
}
