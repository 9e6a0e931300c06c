"use client";

import { format } from "date-fns";
import { Pencil, UserMinus } from "lucide-react";
import { useState, useTransition, type FormEvent } from "react";
import { changeRoleAction, removeMemberAction, setExternalIdAction } from "@/app/orgs/[org]/settings/members/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ghostDangerButton, inputClass, secondaryButton } from "@/components/ui/styles";
import { RoleBadge } from "./ui";

type Member = { userId: string; email: string; name: string; role: string; externalId: string | null; joinedAt: string };

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((p) => p[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();

function RoleCell({ org, member, isOwner, onError }: { org: string; member: Member; isOwner: boolean; onError: (message: string | null) => void }) {
  const [pending, startTransition] = useTransition();
  if (member.role === "owner" && !isOwner) return <RoleBadge role={member.role} />;
  const roles = isOwner ? ["owner", "admin", "auditor", "member"] : ["admin", "auditor", "member"];
  return (
    <select
      aria-label={`Role of ${member.name}`}
      value={member.role}
      disabled={pending}
      onChange={(e) => {
        const role = e.target.value;
        startTransition(async () => {
          const result = await changeRoleAction(org, member.userId, role);
          onError(result.ok ? null : result.error.message);
        });
      }}
      className="rounded-md border border-zinc-300 bg-white py-1 pr-7 pl-2 text-sm capitalize shadow-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950"
    >
      {roles.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}

function ExternalIdCell({ org, member, onError }: { org: string; member: Member; onError: (message: string | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [pending, startTransition] = useTransition();
  if (!editing) {
    return (
      <button
        type="button"
        onClick={() => setEditing(true)}
        className="group inline-flex max-w-full items-center gap-1.5 rounded px-1 py-0.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
        aria-label={`Edit external id of ${member.name}`}
      >
        {member.externalId ? <span className="truncate font-mono text-xs">{member.externalId}</span> : <span className="text-xs text-zinc-400">Not set</span>}
        <Pencil className="size-3 shrink-0 text-zinc-400 opacity-0 group-hover:opacity-100" aria-hidden />
      </button>
    );
  }
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("externalId") ?? "");
    startTransition(async () => {
      const result = await setExternalIdAction(org, member.userId, value);
      onError(result.ok ? null : result.error.message);
      if (result.ok) setEditing(false);
    });
  }
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-1.5">
      <input name="externalId" defaultValue={member.externalId ?? ""} autoFocus aria-label={`External id of ${member.name}`} className={`${inputClass} w-40 py-1 font-mono text-xs`} placeholder="u_42" />
      <button type="submit" className={secondaryButton} disabled={pending}>
        Save
      </button>
      <button type="button" className="px-1 text-sm text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}

export function MembersTable({ org, members, isOwner, currentUserId }: { org: string; members: Member[]; isOwner: boolean; currentUserId: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      {error ? (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-5 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="members-table">
          <thead>
            <tr className="border-b border-zinc-200 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
              <th className="px-5 py-2.5 font-medium">Member</th>
              <th className="px-3 py-2.5 font-medium">Role</th>
              <th className="px-3 py-2.5 font-medium">External id</th>
              <th className="px-3 py-2.5 font-medium">Joined</th>
              <th className="px-5 py-2.5" aria-label="Actions" />
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {members.map((member) => (
              <tr key={member.userId} data-testid={`member-${member.email}`} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-900/60">
                <td className="px-5 py-3">
                  <div className="flex items-center gap-3">
                    <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">{initials(member.name) || "?"}</span>
                    <div className="min-w-0">
                      <div className="truncate font-medium">
                        {member.name}
                        {member.userId === currentUserId ? <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-normal text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">You</span> : null}
                      </div>
                      <div className="truncate text-xs text-zinc-500">{member.email}</div>
                    </div>
                  </div>
                </td>
                <td className="px-3 py-3">
                  <RoleCell org={org} member={member} isOwner={isOwner} onError={setError} />
                </td>
                <td className="max-w-56 px-3 py-3">
                  <ExternalIdCell org={org} member={member} onError={setError} />
                </td>
                <td className="px-3 py-3 whitespace-nowrap text-zinc-500">
                  <time dateTime={member.joinedAt}>{format(new Date(member.joinedAt), "MMM d, yyyy")}</time>
                </td>
                <td className="px-5 py-3 text-right">
                  {member.role !== "owner" || isOwner ? (
                    <ConfirmDialog
                      trigger={
                        <button type="button" className={ghostDangerButton} aria-label={member.userId === currentUserId ? "Leave this organization" : `Remove ${member.name}`}>
                          <UserMinus className="size-4" aria-hidden /> {member.userId === currentUserId ? "Leave" : "Remove"}
                        </button>
                      }
                      title={member.userId === currentUserId ? "Leave this organization?" : `Remove ${member.name}?`}
                      description={`${member.email} loses access to this organization's audit log at once. Their past events stay in the log.`}
                      confirmLabel={member.userId === currentUserId ? "Leave" : "Remove member"}
                      onConfirm={() => removeMemberAction(org, member.userId)}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
