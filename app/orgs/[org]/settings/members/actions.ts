"use server";

import { revalidatePath } from "next/cache";
import { createInvite, revokeInvite } from "@/lib/access/invites";
import { changeMemberRole, removeMember, setMemberExternalId } from "@/lib/access/members";
import { runOrgAction, type ActionResult } from "@/lib/access/settings-action";

async function settled<T>(org: string, result: Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const done = await result;
  if (done.ok) revalidatePath(`/orgs/${org}/settings/members`);
  return done;
}

/** Not revalidated here: the dialog showing the one-time link refreshes the page when it closes. */
export async function inviteMemberAction(org: string, input: { email: string; role: string; externalId: string }) {
  return runOrgAction(org, async (scope, context) => {
    const invite = await createInvite(scope, context, input);
    return { path: invite.path, expiresAt: invite.expiresAt.toISOString() };
  });
}

export async function revokeInviteAction(org: string, inviteId: string) {
  return settled(org, runOrgAction(org, (scope, context) => revokeInvite(scope, context, { inviteId })));
}

export async function changeRoleAction(org: string, userId: string, role: string) {
  return settled(org, runOrgAction(org, (scope, context) => changeMemberRole(scope, context, { userId, role })));
}

export async function removeMemberAction(org: string, userId: string) {
  return settled(org, runOrgAction(org, (scope, context) => removeMember(scope, context, { userId })));
}

export async function setExternalIdAction(org: string, userId: string, externalId: string) {
  return settled(org, runOrgAction(org, (scope, context) => setMemberExternalId(scope, context, { userId, externalId })));
}
