"use client";

import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import type { ActionError, ActionResult } from "@/lib/access/action-result";
import { FormError } from "./form-error";
import { Modal } from "./modal";
import { primaryButton, secondaryButton } from "./styles";

/** What a dialog shows in place of its form after success (a secret shown once): it stays open until its own button closes it. */
export type DialogOutcome = { title: string; description?: ReactNode; content: ReactNode };

/**
 * A form in a modal: its fields, the refusal if the server gave one, Cancel
 * and the submit button (with its pending label). On success it closes, or,
 * when `outcome` returns something, shows that instead of the form. Opened by
 * its `trigger`, or, with `open`, by its parent (from a menu item, which is
 * gone by the time the dialog shows).
 */
export function FormDialog<T>({
  trigger,
  open: openProp,
  title,
  description,
  submitLabel,
  pendingLabel,
  submit,
  onSuccess,
  outcome,
  onError = (error) => error,
  onOpenChange,
  onClose,
  children,
}: {
  /** The button that opens the dialog. */
  trigger?: ReactNode;
  /** Set to open and close the dialog from outside; onOpenChange hears every change. */
  open?: boolean;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  submit: (form: FormData) => Promise<ActionResult<T>>;
  onSuccess?: (data: T) => void;
  outcome?: (data: T, close: () => void) => DialogOutcome | null;
  /** The refusal to show; a form may react to it first (ask for a confirmation it names). */
  onError?: (error: ActionError) => ActionError;
  onOpenChange?: (open: boolean) => void;
  /** When the dialog closes, with what the action returned if it succeeded. */
  onClose?: (data: T | null) => void;
  children?: ReactNode;
}) {
  const [openState, setOpen] = useState(false);
  const open = openProp ?? openState;
  const [error, setError] = useState<ActionError | null>(null);
  const [done, setDone] = useState<{ data: T } | null>(null);
  const [pending, startTransition] = useTransition();

  function finish(data: T | null) {
    setOpen(false);
    onOpenChange?.(false);
    onClose?.(data);
    setError(null);
    setDone(null);
  }
  function changeOpen(next: boolean) {
    if (!next) return finish(done ? done.data : null);
    setOpen(true);
    onOpenChange?.(true);
  }
  const close = () => changeOpen(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await submit(form);
      if (!result.ok) return setError(onError(result.error));
      setError(null);
      onSuccess?.(result.data);
      if (outcome?.(result.data, close)) setDone({ data: result.data });
      else finish(result.data);
    });
  }

  const shown = done ? outcome?.(done.data, close) : null;
  return (
    <Modal open={open} onOpenChange={changeOpen} title={shown?.title ?? title} description={shown ? shown.description : description} trigger={trigger} keepOpenOnOutsideClick={Boolean(shown)}>
      {shown ? (
        shown.content
      ) : (
        <form className="space-y-4" onSubmit={onSubmit} noValidate>
          {children}
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <button type="button" className={secondaryButton} onClick={close}>
              Cancel
            </button>
            <button type="submit" className={primaryButton} disabled={pending}>
              {pending ? pendingLabel : submitLabel}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
