"use client";

import { CircleCheck, CircleX, History, KeyRound, Pause, Play, Send, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteStreamAction, pauseStreamAction, replayStreamAction, resumeStreamAction, rotateSecretAction, sendTestEventAction } from "@/app/orgs/[org]/settings/log-streams/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { FormError } from "@/components/ui/form-error";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { inputClass, secondaryButton } from "@/components/ui/styles";
import type { ActionError } from "@/lib/access/action-result";
import type { DeliveryJson } from "@/lib/streams/stream-view";

const deleteButton =
  "inline-flex items-center justify-center gap-1.5 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 shadow-xs hover:bg-red-50 sm:ml-auto dark:border-red-900 dark:bg-zinc-900 dark:text-red-400 dark:hover:bg-red-950/50";

type Props = { org: string; stream: { id: string; name: string; paused: boolean; failing: boolean; webhook: boolean }; canReplay: boolean };

/** What the last test send came to, said in words. */
function TestResult({ delivery }: { delivery: DeliveryJson }) {
  const status = delivery.status === null ? "" : `HTTP ${delivery.status}, `;
  return delivery.ok ? (
    <p role="status" data-testid="test-result" className="flex items-center gap-1.5 text-sm text-emerald-700 dark:text-emerald-400">
      <CircleCheck className="size-4 shrink-0" aria-hidden /> Test event delivered ({status}
      {delivery.latency_ms} ms)
    </p>
  ) : (
    <p role="status" data-testid="test-result" className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
      <CircleX className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>
        Test event not delivered ({status}
        {delivery.latency_ms} ms): <span className="font-mono text-xs break-all">{delivery.error}</span>
      </span>
    </p>
  );
}

/** 24 hours ago, as a datetime-local input's value in the browser's time zone. */
function dayAgoLocal(): string {
  const d = new Date(Date.now() - 24 * 3600_000);
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** A stream's buttons for those who manage it: test, pause or resume, rotate, replay (owners), delete. */
export function StreamActions({ org, stream, canReplay }: Props) {
  const router = useRouter();
  const [tested, setTested] = useState<DeliveryJson | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [testing, startTest] = useTransition();
  const [resuming, startResume] = useTransition();

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={secondaryButton}
          disabled={testing}
          onClick={() =>
            startTest(async () => {
              const result = await sendTestEventAction(org, stream.id);
              setTested(result.ok ? result.data : null);
              setError(result.ok ? null : result.error);
            })
          }
        >
          <Send className="size-4" aria-hidden /> {testing ? "Sending…" : "Send test event"}
        </button>
        {stream.paused || stream.failing ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={resuming}
            onClick={() =>
              startResume(async () => {
                const result = await resumeStreamAction(org, stream.id);
                setError(result.ok ? null : result.error);
                router.refresh();
              })
            }
          >
            <Play className="size-4" aria-hidden /> {resuming ? "Resuming…" : stream.paused ? "Resume" : "Retry now"}
          </button>
        ) : null}
        {stream.paused ? null : (
          <FormDialog
            trigger={
              <button type="button" className={secondaryButton}>
                <Pause className="size-4" aria-hidden /> Pause
              </button>
            }
            title={`Pause “${stream.name}”?`}
            description="Nothing is sent while it is paused. Events keep arriving and are all sent, in order, when you resume."
            submitLabel="Pause stream"
            pendingLabel="Pausing…"
            submit={(form) => pauseStreamAction(org, stream.id, String(form.get("reason") ?? ""))}
            onClose={(done) => done !== null && router.refresh()}
          >
            <label className="block text-sm font-medium">
              Reason <span className="font-normal text-zinc-500 dark:text-zinc-400">(optional)</span>
              <input name="reason" maxLength={500} placeholder="SIEM maintenance window" className={`${inputClass} mt-1`} />
            </label>
          </FormDialog>
        )}
        {stream.webhook ? (
          <FormDialog
            trigger={
              <button type="button" className={secondaryButton}>
                <KeyRound className="size-4" aria-hidden /> Rotate secret
              </button>
            }
            title="Rotate the signing secret?"
            description="A new secret is made and shown once. For the next 24 hours every request carries two signatures, one with the new secret and one with the old, so your receiver can switch without missing a request."
            submitLabel="Rotate secret"
            pendingLabel="Rotating…"
            submit={() => rotateSecretAction(org, stream.id)}
            outcome={(rotated, close) => ({
              title: "New signing secret",
              description: "Put it in your receiver. The old secret keeps signing for 24 hours, then stops.",
              content: <SecretReveal value={rotated.secret} label="Webhook signing secret" testId="stream-secret" notice="This secret is shown only once." doneLabel="I've stored it" onDone={close} />,
            })}
            onClose={() => router.refresh()}
          />
        ) : null}
        {canReplay ? (
          <FormDialog
            trigger={
              <button type="button" className={secondaryButton}>
                <History className="size-4" aria-hidden /> Replay
              </button>
            }
            title="Replay events from a time"
            description="Every event that matches the filter from this time on is sent again, in order, with a new webhook-id. Events already delivered arrive twice."
            submitLabel="Replay"
            pendingLabel="Replaying…"
            submit={(form) => {
              const local = String(form.get("from") ?? "");
              const at = local ? new Date(local) : null;
              return replayStreamAction(org, stream.id, at && !Number.isNaN(at.getTime()) ? at.toISOString() : local);
            }}
            onClose={(done) => done !== null && router.refresh()}
          >
            <label className="block text-sm font-medium">
              From <span className="font-normal text-zinc-500 dark:text-zinc-400">(your local time)</span>
              <input name="from" type="datetime-local" required defaultValue={dayAgoLocal()} className={`${inputClass} mt-1`} />
            </label>
          </FormDialog>
        ) : null}
        <ConfirmDialog
          trigger={
            <button type="button" className={deleteButton}>
              <Trash2 className="size-4" aria-hidden /> Delete
            </button>
          }
          title={`Delete “${stream.name}”?`}
          description="Delivery stops at once and the stream's settings, secrets and delivery log are removed. Events stay in the audit log."
          confirmLabel="Delete stream"
          onConfirm={async () => {
            const result = await deleteStreamAction(org, stream.id);
            if (result.ok) router.push(`/orgs/${org}/settings/log-streams`);
            return result;
          }}
        />
      </div>
      {tested ? <TestResult delivery={tested} /> : null}
      <FormError error={error} testId="stream-action-error" />
    </div>
  );
}
