import { inputClass } from "@/components/ui/styles";

/** A new password and its confirmation, with the rule the server enforces. */
export function PasswordFields({ autoFocus = false }: { autoFocus?: boolean }) {
  return (
    <>
      <label className="block text-sm font-medium">
        Password
        <input className={`${inputClass} mt-1`} name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={1024} autoFocus={autoFocus} />
        <span className="mt-1 block text-xs font-normal text-zinc-500">At least 12 characters. A passphrase of a few words is good.</span>
      </label>
      <label className="block text-sm font-medium">
        Confirm password
        <input className={`${inputClass} mt-1`} name="confirm" type="password" autoComplete="new-password" required maxLength={1024} />
      </label>
    </>
  );
}
