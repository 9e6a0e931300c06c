"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

const SSO_FAILED = "Sign-in through your identity provider did not complete. Try again, or ask your administrator.";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password don't match an account. Check them and try again.",
  TooManyAttempts: "Too many failed attempts. Wait a few minutes before trying again.",
  NoOrganization: "Your account is not a member of any organization yet. Ask an owner to invite you.",
  OidcNotAllowed: "Your identity provider account is not allowed here. Ask your administrator for an invite.",
  OidcEmailUnverified: "Your identity provider did not confirm an email address for your account. Ask your administrator.",
  OAuthSignin: SSO_FAILED,
  OAuthCallback: SSO_FAILED,
  Callback: SSO_FAILED,
};

const message = (code: string) => MESSAGES[code] ?? "Sign-in failed. Try again.";

/** `sso` is the identity provider's button label when single sign-on is configured. */
export function LoginForm({ initialError, sso }: { initialError: string | null; sso: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? message(initialError) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: String(form.get("email")), password: String(form.get("password")), redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(message(result?.error ?? ""));
      return;
    }
    router.replace("/");
    router.refresh();
  }

  const input =
    "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-950";
  return (
    <>
      {sso ? (
        <div className="mt-6">
          <button
            type="button"
            data-testid="sso-sign-in"
            disabled={pending}
            onClick={() => (setPending(true), setError(null), void signIn("oidc", { callbackUrl: "/" }))}
            className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium shadow-xs hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:bg-zinc-900"
          >
            Sign in with {sso}
          </button>
          <div className="mt-6 flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400" aria-hidden>
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            or with your password
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </div>
      ) : null}
      <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
        <label className="block text-sm font-medium">
          Email
          <input className={input} name="email" type="email" autoComplete="username" required autoFocus placeholder="you@company.com" />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input className={input} name="password" type="password" autoComplete="current-password" required />
        </label>
        {error ? (
          <p role="alert" data-testid="login-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500 disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </>
  );
}
