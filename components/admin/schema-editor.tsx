"use client";

import { Braces, ListChecks, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { createSchemaAction, createSchemaVersionAction, previewSchemaAction } from "@/app/admin/actions";
import { FIELD_TYPES, fieldsToJsonSchema, jsonSchemaToFields, type FieldsForm, type FieldType } from "@/lib/schemas/form-fields";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import type { DraftPreview } from "@/lib/schemas/draft-preview";
import { DraftPreviewResult } from "./draft-preview-result";
import { inputClass, primaryButton, secondaryButton } from "@/components/ui/styles";

export type SchemaDraft = {
  target_types: string[];
  actor_schema: Record<string, unknown> | null;
  target_schema: Record<string, unknown> | null;
  metadata_schema: Record<string, unknown> | null;
  display: { label?: string; description?: string; severity?: string; columns?: string[] };
};


const SEVERITIES = ["info", "low", "medium", "high", "critical"];

/** One JSON Schema, edited as a list of keys (the common case) or as raw JSON. */
type SchemaState = { mode: "form"; form: FieldsForm } | { mode: "json"; text: string };

function initialState(schema: Record<string, unknown> | null): SchemaState {
  const form = jsonSchemaToFields(schema);
  return form ? { mode: "form", form } : { mode: "json", text: JSON.stringify(schema, null, 2) };
}

function resolve(state: SchemaState): { schema: Record<string, unknown> | null; error: string | null } {
  if (state.mode === "form") return { schema: fieldsToJsonSchema(state.form), error: null };
  if (!state.text.trim()) return { schema: null, error: null };
  try {
    const value: unknown = JSON.parse(state.text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { schema: null, error: "must be a JSON object" };
    return { schema: value as Record<string, unknown>, error: null };
  } catch (error) {
    return { schema: null, error: `is not valid JSON: ${(error as Error).message}` };
  }
}

function SchemaField({ title, hint, state, onChange, testId }: { title: string; hint: string; state: SchemaState; onChange: (s: SchemaState) => void; testId: string }) {
  const resolved = resolve(state);
  return (
    <section className="rounded-lg border border-zinc-200 dark:border-zinc-800" data-testid={testId}>
      <header className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <div>
          <h3 className="text-sm font-semibold">{title}</h3>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>
        </div>
        <div className="flex rounded-md border border-zinc-200 p-0.5 text-xs dark:border-zinc-700" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={state.mode === "form"}
            className={`flex items-center gap-1 rounded px-2 py-1 ${state.mode === "form" ? "bg-zinc-100 font-medium dark:bg-zinc-800" : "text-zinc-500"}`}
            onClick={() => {
              if (state.mode === "form") return;
              const form = jsonSchemaToFields(resolved.schema);
              if (form && !resolved.error) onChange({ mode: "form", form });
              else window.alert("This schema uses more than keys, types and required; keep editing it as JSON.");
            }}
          >
            <ListChecks className="size-3.5" aria-hidden /> Fields
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={state.mode === "json"}
            className={`flex items-center gap-1 rounded px-2 py-1 ${state.mode === "json" ? "bg-zinc-100 font-medium dark:bg-zinc-800" : "text-zinc-500"}`}
            onClick={() => state.mode === "form" && onChange({ mode: "json", text: resolved.schema ? JSON.stringify(resolved.schema, null, 2) : "" })}
          >
            <Braces className="size-3.5" aria-hidden /> JSON Schema
          </button>
        </div>
      </header>
      <div className="p-4">
        {state.mode === "json" ? (
          <>
            <textarea
              aria-label={`${title} JSON Schema`}
              value={state.text}
              onChange={(e) => onChange({ mode: "json", text: e.target.value })}
              rows={10}
              spellCheck={false}
              placeholder='{ "type": "object", "properties": { … } }  (empty: no schema)'
              className={`${inputClass} font-mono text-xs leading-5`}
            />
            {resolved.error ? <p className="mt-1 text-xs text-red-600 dark:text-red-400">{resolved.error}</p> : null}
          </>
        ) : (
          <FieldsEditor form={state.form} onChange={(form) => onChange({ mode: "form", form })} label={title} />
        )}
      </div>
    </section>
  );
}

function FieldsEditor({ form, onChange, label }: { form: FieldsForm; onChange: (f: FieldsForm) => void; label: string }) {
  const update = (i: number, patch: Partial<FieldsForm["fields"][number]>) => onChange({ ...form, fields: form.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <div className="space-y-2">
      {form.fields.length === 0 ? <p className="text-sm text-zinc-500">No keys declared.</p> : null}
      {form.fields.map((field, i) => (
        <div key={i} className="flex items-center gap-2">
          <input aria-label={`${label} key ${i + 1}`} value={field.key} onChange={(e) => update(i, { key: e.target.value })} placeholder="key" className={`${inputClass} max-w-56 font-mono`} />
          <select aria-label={`${label} type ${i + 1}`} value={field.type} onChange={(e) => update(i, { type: e.target.value as FieldType })} className={`${inputClass} max-w-32`}>
            {FIELD_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={field.required} onChange={(e) => update(i, { required: e.target.checked })} className="accent-indigo-600" /> required
          </label>
          <button type="button" aria-label={`Remove ${field.key || "key"}`} onClick={() => onChange({ ...form, fields: form.fields.filter((_, j) => j !== i) })} className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-red-600 dark:hover:bg-zinc-800">
            <Trash2 className="size-4" aria-hidden />
          </button>
        </div>
      ))}
      <div className="flex flex-wrap items-center justify-between gap-2 pt-1">
        <button type="button" className={secondaryButton} onClick={() => onChange({ ...form, fields: [...form.fields, { key: "", type: "string", required: false }] })}>
          <Plus className="size-4" aria-hidden /> Add key
        </button>
        <label className="flex items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-300">
          <input type="checkbox" checked={form.allowOtherKeys} onChange={(e) => onChange({ ...form, allowOtherKeys: e.target.checked })} className="accent-indigo-600" />
          Allow other keys
        </label>
      </div>
    </div>
  );
}

/**
 * The editor of one schema version: target types, the three JSON Schemas and
 * display settings. `action` is null when the action itself is new.
 */
export function SchemaEditor({ action, initial, basedOn }: { action: string | null; initial: SchemaDraft & { action?: string }; basedOn: number | null }) {
  const router = useRouter();
  const [name, setName] = useState(initial.action ?? "");
  const [targetTypes, setTargetTypes] = useState(initial.target_types.join(", "));
  const [actor, setActor] = useState(() => initialState(initial.actor_schema));
  const [target, setTarget] = useState(() => initialState(initial.target_schema));
  const [metadata, setMetadata] = useState(() => initialState(initial.metadata_schema));
  const [label, setLabel] = useState(initial.display.label ?? "");
  const [description, setDescription] = useState(initial.display.description ?? "");
  const [severity, setSeverity] = useState(initial.display.severity ?? "info");
  const [columns, setColumns] = useState<string[]>(initial.display.columns ?? []);
  const [error, setError] = useState<ActionError | null>(null);
  const [preview, setPreview] = useState<DraftPreview | null>(null);
  const [pending, start] = useTransition();

  const metadataKeys = useMemo(() => {
    const schema = resolve(metadata).schema;
    const properties = schema?.properties;
    return properties && typeof properties === "object" ? Object.keys(properties).filter(Boolean) : [];
  }, [metadata]);

  function draft(): { body: SchemaDraft; problem: string | null } {
    const parts = { actor_schema: resolve(actor), target_schema: resolve(target), metadata_schema: resolve(metadata) };
    const problem = Object.entries(parts).find(([, p]) => p.error);
    return {
      problem: problem ? `${problem[0]} ${problem[1].error}` : null,
      body: {
        target_types: targetTypes.split(/[\s,]+/).filter(Boolean),
        actor_schema: parts.actor_schema.schema,
        target_schema: parts.target_schema.schema,
        metadata_schema: parts.metadata_schema.schema,
        display: { label: label || undefined, description: description || undefined, severity, columns: columns.filter((c) => metadataKeys.includes(c)) },
      },
    };
  }

  const actionName = action ?? name.trim();

  function runPreview() {
    const { body, problem } = draft();
    if (problem) return setError({ message: problem });
    start(async () => {
      const result = await previewSchemaAction(actionName, body);
      if (!result.ok) return setError(result.error);
      setError(null);
      setPreview(result.data);
    });
  }

  function save() {
    const { body, problem } = draft();
    if (problem) return setError({ message: problem });
    start(async () => {
      const result = action ? await createSchemaVersionAction(action, body) : await createSchemaAction({ action: actionName, ...body });
      if (!result.ok) return setError(result.error);
      router.push(`/admin/schemas/${encodeURIComponent(result.data.action)}`);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="space-y-5">
        {action === null ? (
          <label className="block text-sm font-medium">
            Action
            <input aria-label="Action" value={name} onChange={(e) => setName(e.target.value)} placeholder="project.archived" className={`${inputClass} mt-1 font-mono`} autoFocus />
            <span className="mt-1 block text-xs font-normal text-zinc-500">Lowercase dot-separated words, as your backend sends it.</span>
          </label>
        ) : null}
        <label className="block text-sm font-medium">
          Allowed target types
          <input aria-label="Allowed target types" value={targetTypes} onChange={(e) => setTargetTypes(e.target.value)} placeholder="project, folder" className={`${inputClass} mt-1 font-mono`} />
          <span className="mt-1 block text-xs font-normal text-zinc-500">Comma-separated. Empty allows any target type.</span>
        </label>
        <SchemaField testId="metadata-schema" title="Event metadata" hint="The event's own metadata object." state={metadata} onChange={setMetadata} />
        <SchemaField testId="actor-schema" title="Actor metadata" hint="actor.metadata of each event." state={actor} onChange={setActor} />
        <SchemaField testId="target-schema" title="Target metadata" hint="metadata of each target." state={target} onChange={setTarget} />
      </div>

      <aside className="space-y-5">
        <section className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <h3 className="text-sm font-semibold">Display</h3>
          <label className="block text-sm font-medium">
            Label
            <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Project archived" className={`${inputClass} mt-1`} />
          </label>
          <label className="block text-sm font-medium">
            Description
            <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} className={`${inputClass} mt-1`} />
          </label>
          <label className="block text-sm font-medium">
            Severity
            <select value={severity} onChange={(e) => setSeverity(e.target.value)} className={`${inputClass} mt-1`}>
              {SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend className="text-sm font-medium">Viewer and CSV columns</legend>
            {metadataKeys.length === 0 ? (
              <p className="mt-1 text-xs text-zinc-500">Declare metadata keys to offer them as columns.</p>
            ) : (
              <div className="mt-1.5 space-y-1">
                {metadataKeys.map((key) => (
                  <label key={key} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      aria-label={`Column ${key}`}
                      checked={columns.includes(key)}
                      onChange={(e) => setColumns(e.target.checked ? [...columns, key] : columns.filter((c) => c !== key))}
                      className="accent-indigo-600"
                    />
                    <code className="font-mono text-xs">{key}</code>
                  </label>
                ))}
              </div>
            )}
          </fieldset>
        </section>

        <section className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <h3 className="text-sm font-semibold">Check before saving</h3>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Counts how many of the latest 200 events of this action, across organizations, this draft would refuse if they were sent without a version. Only their shape is checked (keys, kinds of values, target types), never their values; at most 10 checks a minute.
          </p>
          <button type="button" className={`${secondaryButton} w-full`} onClick={runPreview} disabled={pending || !actionName}>
            Check recent events
          </button>
          {preview ? <DraftPreviewResult preview={preview} /> : null}
        </section>

        <FormError error={error} />
        <button type="button" className={`${primaryButton} w-full`} onClick={save} disabled={pending || !actionName}>
          {pending ? "Saving…" : action ? `Save as version ${(basedOn ?? 0) + 1}` : "Create action"}
        </button>
        {action ? <p className="text-xs text-zinc-500">Versions are immutable: events that name an older version keep being checked against it.</p> : null}
      </aside>
    </div>
  );
}
