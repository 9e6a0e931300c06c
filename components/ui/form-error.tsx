import type { ActionError } from "@/lib/access/action-result";

/** Why a form was refused: a message, and the fields it names when the server said which (those the message already says are not repeated). */
export function FormError({ error, testId = "form-error" }: { error: ActionError | null; testId?: string }) {
  if (!error) return null;
  const issues = error.issues?.filter((issue) => !error.message.includes(issue.message)) ?? [];
  return (
    <div role="alert" data-testid={testId} className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
      <p className="font-medium">{error.message}</p>
      {issues.length ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <code className="font-mono text-xs">{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
