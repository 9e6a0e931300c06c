"use server";

import { z } from "zod";
import { acceptInvite } from "@/lib/members/invites";
import { anonymousAction, userAction, type ActionResult } from "@/lib/access/server-action";

type Joined = ActionResult<{ organizationSlug: string }>;

export async function acceptAsSignedInAction(token: string): Promise<Joined> {
  return userAction(z.string(), token, async (user, inviteToken, context) => {
    const joined = await acceptInvite(inviteToken, { kind: "existing", userId: user.userId }, context);
    return { organizationSlug: joined.organizationSlug };
  });
}

const newAccount = z.object({ token: z.string(), name: z.string(), password: z.string() });

export async function acceptAsNewAccountAction(token: string, input: { name: string; password: string }): Promise<Joined> {
  return anonymousAction(newAccount, { ...input, token }, async ({ token: inviteToken, name, password }, context) => {
    const joined = await acceptInvite(inviteToken, { kind: "new", name, password }, context);
    return { organizationSlug: joined.organizationSlug };
  });
}
