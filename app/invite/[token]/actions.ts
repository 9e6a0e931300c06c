"use server";

import { acceptInvite } from "@/lib/access/invites";
import { actionError, type ActionResult } from "@/lib/access/settings-action";
import { requestContext } from "@/lib/auth/request-context";
import { sessionUser } from "@/lib/auth/principal";

type Joined = ActionResult<{ organizationSlug: string }>;

export async function acceptAsSignedInAction(token: string): Promise<Joined> {
  try {
    const user = await sessionUser();
    if (!user) return { ok: false, error: "Sign in first" };
    const joined = await acceptInvite(token, { kind: "existing", userId: user.userId }, await requestContext());
    return { ok: true, data: { organizationSlug: joined.organizationSlug } };
  } catch (error) {
    return actionError(error);
  }
}

export async function acceptAsNewAccountAction(token: string, input: { name: string; password: string }): Promise<Joined> {
  try {
    const joined = await acceptInvite(token, { kind: "new", name: String(input.name), password: String(input.password) }, await requestContext());
    return { ok: true, data: { organizationSlug: joined.organizationSlug } };
  } catch (error) {
    return actionError(error);
  }
}
