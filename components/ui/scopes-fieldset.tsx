/** The scope checkboxes of a new API key (`scopes` in the form), events:write ticked; `help` says what each allows where the key is made. */
export function ScopesFieldset({ scopes, help }: { scopes: readonly string[]; help: Record<string, string> }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium">Scopes</legend>
      <div className="mt-1 grid gap-2">
        {scopes.map((scope) => (
          <label key={scope} className="flex cursor-pointer items-start gap-3 rounded-lg border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/60 dark:border-zinc-800 dark:has-[:checked]:bg-indigo-950/40">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "events:write"} className="mt-1 accent-indigo-600" />
            <span>
              <span className="font-mono text-xs font-medium">{scope}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{help[scope]}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
