import { primaryButton } from "./styles";

/** A settings form's Save button, with "Saved" announced beside it after a save. */
export function SaveRow({ pending, saved, disabled = false }: { pending: boolean; saved: boolean; disabled?: boolean }) {
  return (
    <div className="flex items-center gap-3">
      <button type="submit" className={primaryButton} disabled={pending || disabled}>
        {pending ? "Saving…" : "Save"}
      </button>
      {saved ? (
        <span role="status" className="text-sm text-emerald-600 dark:text-emerald-400">
          Saved
        </span>
      ) : null}
    </div>
  );
}
