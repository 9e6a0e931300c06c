import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { LoginForm } from "@/components/login-form";
import { sessionUser } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await sessionUser()) redirect("/");
  const { error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 dark:bg-zinc-950">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold tracking-tight">
          <ShieldCheck className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
          Orgtrail
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-base font-semibold">Sign in to your audit log</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Use your work email and password.</p>
          <LoginForm initialError={error ?? null} />
        </div>
      </div>
    </main>
  );
}
