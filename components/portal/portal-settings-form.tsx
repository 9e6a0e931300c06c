"use client";

import { useState, useTransition, type FormEvent } from "react";
import { updatePortalSettingsAction } from "@/app/admin/portal/actions";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/styles";
import type { ActionError } from "@/lib/access/action-result";
import type { PortalSettings } from "@/lib/portal/settings";
import { SaveRow } from "@/components/ui/save-row";

type Limits = { sessionMinutes: { min: number; max: number }; maxOrigins: number };

const lines = (text: string): string[] => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);

const hint = "mt-1 block text-xs font-normal text-zinc-500 dark:text-zinc-400";

export function PortalSettingsForm({ settings, limits }: { settings: PortalSettings; limits: Limits }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const [accent, setAccent] = useState(settings.accentColor);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const minutes = String(data.get("sessionMinutes") ?? "").trim();
    const input = {
      vendorName: String(data.get("vendorName") ?? ""),
      logoUrl: String(data.get("logoUrl") ?? ""),
      accentColor: accent,
      returnOrigins: lines(String(data.get("returnOrigins") ?? "")),
      frameOrigins: lines(String(data.get("frameOrigins") ?? "")),
      sessionMinutes: minutes === "" ? Number.NaN : Number(minutes),
    };
    startTransition(async () => {
      const result = await updatePortalSettingsAction(input);
      setError(result.ok ? null : result.error);
      setSaved(result.ok);
    });
  }

  return (
    <form onSubmit={onSubmit} onChange={() => setSaved(false)} className="space-y-6 px-5 py-5" noValidate data-testid="portal-settings-form">
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold">Branding</legend>
        <label className="block text-sm font-medium">
          Your app&apos;s name
          <input name="vendorName" defaultValue={settings.vendorName} maxLength={60} className={`${inputClass} mt-1`} placeholder="Acme Cloud" />
          <span className={hint}>Shown in the portal&apos;s header and on its &ldquo;Back to …&rdquo; button. Empty: the vendor organization&apos;s name.</span>
        </label>
        <label className="block text-sm font-medium">
          Logo URL
          <input name="logoUrl" type="url" defaultValue={settings.logoUrl} className={`${inputClass} mt-1`} placeholder="https://cdn.example.com/logo.svg" />
          <span className={hint}>An https image, shown at 24×24 pixels. Empty: a dot in your accent colour.</span>
        </label>
        <div className="text-sm font-medium">
          <label htmlFor="accentColor">Accent colour</label>
          <div className="mt-1 flex items-center gap-2">
            <input
              type="color"
              aria-label="Pick the accent colour"
              value={accent || "#4f46e5"}
              onChange={(e) => setAccent(e.target.value)}
              className="h-8 w-10 cursor-pointer rounded border border-zinc-300 bg-white p-0.5 dark:border-zinc-700"
            />
            <input id="accentColor" value={accent} onChange={(e) => setAccent(e.target.value)} className={`${inputClass} w-32 font-mono`} placeholder="#4f46e5" />
          </div>
          <span className={hint}>#rrggbb. Empty: Orgtrail&apos;s indigo.</span>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold">Origins</legend>
        <label className="block text-sm font-medium">
          Allowed return origins
          <textarea name="returnOrigins" defaultValue={settings.returnOrigins.join("\n")} rows={3} className={`${inputClass} mt-1 font-mono`} placeholder="https://app.example.com" />
          <span className={hint}>One origin a line (https://host[:port]; http only for localhost), at most {limits.maxOrigins}. A link&apos;s return_url must be on one of them.</span>
        </label>
        <label className="block text-sm font-medium">
          Sites that may embed the portal
          <textarea name="frameOrigins" defaultValue={settings.frameOrigins.join("\n")} rows={3} className={`${inputClass} mt-1 font-mono`} placeholder="https://app.example.com" />
          <span className={hint}>Pages on these origins may show portal sessions in an iframe (Content-Security-Policy frame-ancestors). Applies to portal sessions opened after the change; every other page can never be framed.</span>
        </label>
      </fieldset>

      <label className="block max-w-xs text-sm font-medium">
        Portal session length
        <div className="mt-1 flex items-center gap-2">
          <input name="sessionMinutes" type="number" inputMode="numeric" min={limits.sessionMinutes.min} max={limits.sessionMinutes.max} defaultValue={settings.sessionMinutes} className={`${inputClass} w-28 tabular-nums`} />
          <span className="text-sm font-normal text-zinc-500">minutes</span>
        </div>
        <span className={hint}>
          Between {limits.sessionMinutes.min} and {limits.sessionMinutes.max}. A portal session then ends; your app makes a new link.
        </span>
      </label>

      <FormError error={error} />
      <SaveRow pending={pending} saved={saved} />
    </form>
  );
}
