"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction, type ActionResult } from "@/lib/access/server-action";
import { pauseStream, replayStream, resumeStream, rotateWebhookSecret } from "@/lib/streams/stream-controls";
import type { CreateStreamInput, UpdateStreamInput } from "@/lib/streams/stream-input";
import { createStream, deleteStream, updateStream } from "@/lib/streams/stream-store";
import { sendTestEvent } from "@/lib/streams/stream-test-event";

/*
 * The log-stream settings' server actions: each resolves the caller's scope and
 * hands over to lib/streams, which checks streams.manage (streams.replay for a
 * replay) and validates the input with the API's own schemas.
 */

async function settled<T>(org: string, result: Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const done = await result;
  if (done.ok) revalidatePath(`/orgs/${org}/settings/log-streams`, "layout");
  return done;
}

const streamId = z.string();

export async function createStreamAction(org: string, input: CreateStreamInput) {
  return settled(org, orgAction(org, z.unknown(), input, async (scope, data, context) => {
    const { stream, secret } = await createStream(scope, context, data as CreateStreamInput);
    return { id: stream.id, name: stream.name, secret: secret ?? null };
  }));
}

export async function updateStreamAction(org: string, id: string, input: UpdateStreamInput) {
  const schema = z.object({ id: streamId, input: z.unknown() });
  return settled(org, orgAction(org, schema, { id, input }, async (scope, data, context) => {
    const { stream, secret } = await updateStream(scope, context, data.id, data.input as UpdateStreamInput);
    return { id: stream.id, name: stream.name, secret: secret ?? null };
  }));
}

/** Not revalidated here: the page of the deleted stream would render as not found; the form goes to the list instead. */
export async function deleteStreamAction(org: string, id: string) {
  return orgAction(org, streamId, id, async (scope, data, context) => {
    await deleteStream(scope, context, data);
    return null;
  });
}

export async function pauseStreamAction(org: string, id: string, reason: string) {
  const schema = z.object({ id: streamId, reason: z.string() });
  return settled(org, orgAction(org, schema, { id, reason }, async (scope, data, context) => {
    await pauseStream(scope, context, data.id, data.reason.trim() ? { reason: data.reason } : {});
    return null;
  }));
}

export async function resumeStreamAction(org: string, id: string) {
  return settled(org, orgAction(org, streamId, id, async (scope, data, context) => {
    await resumeStream(scope, context, data);
    return null;
  }));
}

/** `from` is an ISO 8601 time; replayStream checks it and that the caller is an owner. */
export async function replayStreamAction(org: string, id: string, from: string) {
  const schema = z.object({ id: streamId, from: z.string() });
  return settled(org, orgAction(org, schema, { id, from }, async (scope, data, context) => {
    const stream = await replayStream(scope, context, data.id, { from: data.from });
    return { fromSeq: stream.cursor_seq + 1 };
  }));
}

export async function rotateSecretAction(org: string, id: string) {
  return settled(org, orgAction(org, streamId, id, async (scope, data, context) => {
    const { secret } = await rotateWebhookSecret(scope, context, data);
    return { secret };
  }));
}

export async function sendTestEventAction(org: string, id: string) {
  return settled(org, orgAction(org, streamId, id, (scope, data, context) => sendTestEvent(scope, context, data)));
}
