import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/first-run/auth-shell";
import { FirstAdminForm } from "@/components/first-run/first-admin-form";
import { hasVendorAdmin } from "@/lib/admin/first-run";

export const metadata: Metadata = { title: "Set up Orgtrail", referrer: "no-referrer", robots: { index: false } };

/** The first-run page: open only while no vendor admin exists, and only with the setup token from the server log. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  if (await hasVendorAdmin()) notFound();
  return (
    <AuthShell
      wide
      footer={
        <>
          This page closes for good once a vendor admin exists. Each server start prints a new setup link; only the latest works. Creating the admin is
          recorded in the vendor&apos;s own audit log.
        </>
      }
    >
      <p className="text-xs font-medium uppercase tracking-wide text-indigo-600 dark:text-indigo-400">First run</p>
      <h1 className="mt-1 text-base font-semibold">Create the first vendor admin</h1>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        The vendor admin manages customer organizations, event schemas and vendor API keys, and adds the rest of your staff.
      </p>
      <FirstAdminForm token={typeof token === "string" ? token : ""} />
    </AuthShell>
  );
}
