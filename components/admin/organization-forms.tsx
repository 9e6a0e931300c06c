"use client";

import { KeyRound, LifeBuoy, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { createOrganizationAction, inviteOwnerAction, renameOrganizationAction, setOrganizationSsoAction } from "@/app/admin/actions";
import { FormError, type FormErrorValue } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { SecretField } from "@/components/ui/secret-field";
import { ROLE_DESCRIPTIONS } from "@/components/settings/ui";
import { SupportAccessForm, type SupportFormLimits } from "@/components/support/support-access-form";
import { inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";

function field(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? "");
}

export function CreateOrganizationButton() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<FormErrorValue>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const [slugTouched, setSlugTouched] = useState(false);
  const [slug, setSlug] = useState("");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    start(async () => {
      const result = await createOrganizationAction({ slug: field(form, "slug"), name: field(form, "name") });
      if (!result.ok) return setError(result.error);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className={primaryButton} onClick={() => (setError(null), setSlug(""), setSlugTouched(false), setOpen(true))}>
        <Plus className="size-4" aria-hidden /> New organization
      </button>
      <Modal open={open} onOpenChange={setOpen} title="New organization" description="A customer organization with its own audit log. Invite its first owner next.">
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <label className="block text-sm font-medium">
            Name
            <input
              name="name"
              className={`${inputClass} mt-1`}
              placeholder="Initech"
              autoFocus
              onChange={(e) => {
                if (!slugTouched) setSlug(e.target.value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63));
              }}
            />
          </label>
          <label className="block text-sm font-medium">
            Slug
            <input name="slug" className={`${inputClass} mt-1 font-mono`} placeholder="initech" value={slug} onChange={(e) => (setSlugTouched(true), setSlug(e.target.value))} />
            <span className="mt-1 block text-xs font-normal text-zinc-500">Used in links and the API (<code>/orgs/{slug || "slug"}</code>); it cannot change later.</span>
          </label>
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? "Creating…" : "Create organization"}
            </button>
          </div>
        </form>
      </Modal>
    </>
  );
}

export function RenameOrganizationButton({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<FormErrorValue>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    start(async () => {
      const result = await renameOrganizationAction(id, { name: field(form, "name") });
      if (!result.ok) return setError(result.error);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className="rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800" onClick={() => (setError(null), setOpen(true))}>
        Rename
      </button>
      <Modal open={open} onOpenChange={setOpen} title={`Rename ${name}`} description="The slug stays the same, so links and API calls keep working.">
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <label className="block text-sm font-medium">
            Name
            <input name="name" defaultValue={name} className={`${inputClass} mt-1`} autoFocus />
          </label>
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? "Saving…" : "Rename"}
            </button>
          </div>
        </form>
      </Modal>
    </>
  );
}

export function InviteOwnerButton({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<FormErrorValue>(null);
  const [link, setLink] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    start(async () => {
      const result = await inviteOwnerAction(id, { email: field(form, "email") });
      if (!result.ok) return setError(result.error);
      setLink(`${window.location.origin}${result.data.path}`);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className="rounded-md px-2 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950" onClick={() => (setError(null), setLink(null), setOpen(true))}>
        Invite owner
      </button>
      <Modal open={open} onOpenChange={setOpen} keepOpenOnOutsideClick={link !== null} title={`Invite the first owner of ${name}`} description="The owner then manages members, keys and retention themselves.">
        {link ? (
          <div className="space-y-3">
            <p className="text-sm">Send this link to the new owner. It is shown only now and works for 7 days; no email is sent in development.</p>
            <SecretField value={link} label="invite link" testId="invite-link" />
            <div className="flex justify-end">
              <button type="button" className={primaryButton} onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={onSubmit} className="space-y-4" noValidate>
            <label className="block text-sm font-medium">
              Email
              <input name="email" type="email" className={`${inputClass} mt-1`} placeholder="it-admin@customer.com" autoFocus />
            </label>
            <FormError error={error} />
            <div className="flex justify-end gap-2">
              <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className={primaryButton} disabled={pending}>
                {pending ? "Creating link…" : "Create invite link"}
              </button>
            </div>
          </form>
        )}
      </Modal>
    </>
  );
}

/** For vendor support: asks for read-only access to a customer's log (a reason and a duration); success opens the log. */
export function RequestSupportAccessButton({ slug, name, limits }: { slug: string; name: string; limits: SupportFormLimits }) {
  const [open, setOpen] = useState(false);
  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      title={`Request support access to ${name}`}
      description="Read-only access to this organization's audit log. The customer sees in their own log who opened it, why, and for how long."
      trigger={
        <button
          type="button"
          aria-label={`Request support access to ${name}`}
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
        >
          <LifeBuoy className="size-4" aria-hidden /> Request support access
        </button>
      }
    >
      <SupportAccessForm org={slug} orgName={name} limits={limits} />
    </Modal>
  );
}

const SSO_ROLES = ["member", "auditor", "admin", "owner"] as const;

/** A customer organization's single sign-on domains, and the role of the people who join through them. */
export function OrganizationSsoButton({ id, name, domains, defaultRole, configured }: { id: string; name: string; domains: string[]; defaultRole: string; configured: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<FormErrorValue>(null);
  const [pending, start] = useTransition();
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    start(async () => {
      const list = field(form, "domains").split(/[\s,]+/).filter(Boolean);
      const result = await setOrganizationSsoAction(id, { domains: list, defaultRole: field(form, "defaultRole") });
      if (!result.ok) return setError(result.error);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" aria-label={`Single sign-on for ${name}`} className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800" onClick={() => (setError(null), setOpen(true))}>
        <KeyRound className="size-4" aria-hidden /> SSO
      </button>
      <Modal
        open={open}
        onOpenChange={setOpen}
        title={`Single sign-on for ${name}`}
        description="People who sign in through your identity provider with a verified email at one of these domains join this organization with the role below. A domain belongs to one organization only."
      >
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          {configured ? null : (
            <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
              Single sign-on is not configured on this server (<code className="font-mono text-xs">ORGTRAIL_OIDC_*</code>): these settings apply once it is.
            </p>
          )}
          <label className="block text-sm font-medium">
            Email domains
            <textarea name="domains" rows={3} defaultValue={domains.join("\n")} className={`${inputClass} mt-1 font-mono`} placeholder={"acme.com\neu.acme.com"} autoFocus />
            <span className="mt-1 block text-xs font-normal text-zinc-500">One per line or comma-separated, without wildcards. Leave empty to turn off joining by domain.</span>
          </label>
          <label className="block text-sm font-medium">
            Role of new members
            <select name="defaultRole" defaultValue={defaultRole} className={`${inputClass} mt-1`}>
              {SSO_ROLES.map((role) => (
                <option key={role} value={role}>
                  {role} — {ROLE_DESCRIPTIONS[role]}
                </option>
              ))}
            </select>
          </label>
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </button>
          </div>
        </form>
      </Modal>
    </>
  );
}
