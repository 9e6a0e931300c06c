"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createInvite, revokeInvite } from "@/lib/members/invites";
import { changeMemberRole, removeMember, setMemberExternalId } from "@/lib/members/members";
import { orgAction, type ActionResult } from "@/lib/access/server-action";

async function settled<T>(org: string, result: Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const done = await result;
  if (done.ok) revalidatePath(`/orgs/${org}/settings/members`);
  return done;
}

const inviteInput = z.object({ email: z.string(), role: z.string(), externalId: z.string() });

/** Not revalidated here: the dialog showing the one-time link refreshes the page when it closes. */
export async function inviteMemberAction(org: string, input: { email: string; role: string; externalId: string }) {
  return orgAction(org, inviteInput, input, async (scope, data, context) => {
    const invite = await createInvite(scope, context, data);
    return { path: invite.path, expiresAt: invite.expiresAt.toISOString() };
  });
}

export async function revokeInviteAction(org: string, inviteId: string) {
  return settled(org, orgAction(org, z.string(), inviteId, (scope, id, context) => revokeInvite(scope, context, { inviteId: id })));
}

export async function changeRoleAction(org: string, userId: string, role: string) {
  const schema = z.object({ userId: z.string(), role: z.string() });
  return settled(org, orgAction(org, schema, { userId, role }, (scope, data, context) => changeMemberRole(scope, context, data)));
}

export async function removeMemberAction(org: string, userId: string) {
  return settled(org, orgAction(org, z.string(), userId, (scope, id, context) => removeMember(scope, context, { userId: id })));
}

export async function setExternalIdAction(org: string, userId: string, externalId: string) {
  const schema = z.object({ userId: z.string(), externalId: z.string() });
  return settled(org, orgAction(org, schema, { userId, externalId }, (scope, data, context) => setMemberExternalId(scope, context, data)));
}
