"use client";

import { formatDistanceToNowStrict } from "date-fns";
import { Ban, KeyRound } from "lucide-react";
import { revokeKeyAction } from "@/app/orgs/[org]/settings/api-keys/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ghostDangerButton } from "@/components/ui/styles";

type Key = { id: string; name: string; prefix: string; scopes: string[]; createdBy: string | null; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

const ago = (iso: string) => `${formatDistanceToNowStrict(new Date(iso))} ago`;

export function ApiKeysTable({ org, keys }: { org: string; keys: Key[] }) {
  if (keys.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 px-5 py-12 text-center text-sm text-zinc-500">
        <KeyRound className="size-6 text-zinc-400" aria-hidden />
        No API keys yet. Create one for each backend or tool that sends or reads events.
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="api-keys-table">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
            <th className="px-5 py-2.5 font-medium">Name</th>
            <th className="px-3 py-2.5 font-medium">Key</th>
            <th className="px-3 py-2.5 font-medium">Scopes</th>
            <th className="px-3 py-2.5 font-medium">Created</th>
            <th className="px-3 py-2.5 font-medium">Last used</th>
            <th className="px-5 py-2.5" aria-label="Actions" />
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {keys.map((key) => (
            <tr key={key.id} data-testid={`api-key-${key.name}`} className={key.revokedAt ? "text-zinc-500 dark:text-zinc-400" : ""}>
              <td className="px-5 py-3 font-medium">
                {key.name}
                {key.revokedAt ? <span className="ml-2 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-normal text-zinc-500 dark:bg-zinc-800">Revoked {ago(key.revokedAt)}</span> : null}
              </td>
              <td className="px-3 py-3 font-mono text-xs whitespace-nowrap">{key.prefix}…</td>
              <td className="px-3 py-3">
                <div className="flex flex-wrap gap-1">
                  {key.scopes.map((scope) => (
                    <span key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                      {scope}
                    </span>
                  ))}
                </div>
              </td>
              <td className="px-3 py-3 whitespace-nowrap text-zinc-500">
                <time dateTime={key.createdAt} title={key.createdAt}>
                  {ago(key.createdAt)}
                </time>
                {key.createdBy ? <div className="text-xs">by {key.createdBy}</div> : null}
              </td>
              <td className="px-3 py-3 whitespace-nowrap text-zinc-500">
                {key.lastUsedAt ? (
                  <time dateTime={key.lastUsedAt} title={key.lastUsedAt}>
                    {ago(key.lastUsedAt)}
                  </time>
                ) : (
                  "Never"
                )}
              </td>
              <td className="px-5 py-3 text-right">
                {key.revokedAt ? null : (
                  <ConfirmDialog
                    trigger={
                      <button type="button" className={ghostDangerButton} aria-label={`Revoke ${key.name}`}>
                        <Ban className="size-4" aria-hidden /> Revoke
                      </button>
                    }
                    title={`Revoke “${key.name}”?`}
                    description="Requests with this key fail at once, on every instance. This cannot be undone."
                    confirmLabel="Revoke key"
                    onConfirm={() => revokeKeyAction(org, key.id)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
