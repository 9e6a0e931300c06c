"use client";

import { KeyRound, LifeBuoy, Plus, Tag } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createOrganizationAction, inviteOwnerAction, renameOrganizationAction, setOrganizationAliasAction, setOrganizationSsoAction } from "@/app/admin/actions";
import { FormDialog } from "@/components/ui/form-dialog";
import { Modal } from "@/components/ui/modal";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { ROLE_DESCRIPTIONS } from "@/components/settings/ui";
import { SupportAccessForm, type SupportFormLimits } from "@/components/support/support-access-form";
import { inputClass, primaryButton } from "@/components/ui/styles";

function field(form: FormData, name: string): string {
  return String(form.get(name) ?? "");
}

export function CreateOrganizationButton() {
  const router = useRouter();
  const [slugTouched, setSlugTouched] = useState(false);
  const [slug, setSlug] = useState("");

  return (
    <FormDialog
      trigger={
        <button type="button" className={primaryButton}>
          <Plus className="size-4" aria-hidden /> New organization
        </button>
      }
      title="New organization"
      description="A customer organization with its own audit log. Invite its first owner next."
      submitLabel="Create organization"
      pendingLabel="Creating…"
      submit={(form) => createOrganizationAction({ slug: field(form, "slug"), name: field(form, "name") })}
      onSuccess={() => router.refresh()}
      onOpenChange={(open) => open && (setSlug(""), setSlugTouched(false))}
    >
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
    </FormDialog>
  );
}

export function RenameOrganizationButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" className="rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Rename
        </button>
      }
      title={`Rename ${name}`}
      description="The slug stays the same, so links and API calls keep working."
      submitLabel="Rename"
      pendingLabel="Saving…"
      submit={(form) => renameOrganizationAction(id, { name: field(form, "name") })}
      onSuccess={() => router.refresh()}
    >
      <label className="block text-sm font-medium">
        Name
        <input name="name" defaultValue={name} className={`${inputClass} mt-1`} autoFocus />
      </label>
    </FormDialog>
  );
}

/** A customer organization's WorkOS organization id (its alias); an empty field clears it. */
export function OrganizationAliasButton({ id, name, alias }: { id: string; name: string; alias: string | null }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" aria-label={`WorkOS organization ID of ${name}`} className="inline-flex items-center gap-1.5 rounded-md whitespace-nowrap px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          <Tag className="size-4" aria-hidden /> WorkOS ID
        </button>
      }
      title={`WorkOS organization ID of ${name}`}
      description="For a move from WorkOS: your backend may keep naming this organization by its WorkOS id. An id belongs to one organization only."
      submitLabel="Save"
      pendingLabel="Saving…"
      submit={(form) => setOrganizationAliasAction(id, { alias: field(form, "alias") })}
      onSuccess={() => router.refresh()}
    >
      <label className="block text-sm font-medium">
        WorkOS organization ID
        <input name="alias" defaultValue={alias ?? ""} className={`${inputClass} mt-1 font-mono`} placeholder="org_01EHZNVPK3SFK441A1RGBFSHRT" autoComplete="off" spellCheck={false} autoFocus />
        <span className="mt-1 block text-xs font-normal text-zinc-500">Events and API calls may name this organization by this id (org_…). Leave empty to remove it.</span>
      </label>
    </FormDialog>
  );
}

export function InviteOwnerButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" className="rounded-md px-2 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950">
          Invite owner
        </button>
      }
      title={`Invite the first owner of ${name}`}
      description="The owner then manages members, keys and retention themselves."
      submitLabel="Create invite link"
      pendingLabel="Creating link…"
      submit={(form) => inviteOwnerAction(id, { email: field(form, "email") })}
      onSuccess={() => router.refresh()}
      outcome={(invite, close) => ({
        title: `Invite the first owner of ${name}`,
        content: (
          <SecretReveal
            value={`${window.location.origin}${invite.path}`}
            label="invite link"
            testId="invite-link"
            notice="Send this link to the new owner. It is shown only now and works for 7 days; no email is sent in development."
            onDone={close}
          />
        ),
      })}
    >
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" className={`${inputClass} mt-1`} placeholder="it-admin@customer.com" autoFocus />
      </label>
    </FormDialog>
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
  const router = useRouter();
  return (
    <FormDialog
      trigger={
        <button type="button" aria-label={`Single sign-on for ${name}`} className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          <KeyRound className="size-4" aria-hidden /> SSO
        </button>
      }
      title={`Single sign-on for ${name}`}
      description="People who sign in through your identity provider with a verified email at one of these domains join this organization with the role below. A domain belongs to one organization only."
      submitLabel="Save"
      pendingLabel="Saving…"
      submit={(form) => setOrganizationSsoAction(id, { domains: field(form, "domains").split(/[\s,]+/).filter(Boolean), defaultRole: field(form, "defaultRole") })}
      onSuccess={() => router.refresh()}
    >
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
    </FormDialog>
  );
}
