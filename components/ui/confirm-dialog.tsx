"use client";

import { useState, useTransition, type ReactNode } from "react";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { Modal } from "@/components/ui/modal";
import { dangerButton, secondaryButton } from "@/components/ui/styles";

/**
 * A destructive action behind a confirmation: the dialog stays open with the
 * error if it fails. Opened by its `trigger`, or, with `open`, by its parent.
 */
export function ConfirmDialog({
  trigger,
  open: openProp,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
}: {
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<{ ok: true } | { ok: false; error: ActionError }>;
}) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
      }}
      title={title}
      description={description}
      trigger={trigger}
    >
      <FormError error={error} />
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button
          type="button"
          className={dangerButton}
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await onConfirm();
              if (result.ok) setOpen(false);
              else setError(result.error);
            })
          }
        >
          {pending ? "Working…" : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
