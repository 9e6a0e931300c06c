import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { createVendorAdmin } from "@/db/testing/vendor-fixtures";
import { AppError } from "@/lib/errors";
import { ingest } from "@/lib/events/ingest";
import { parseSchemaVersion } from "./definition";
import { MIN_EVENTS_FOR_COUNTS, PREVIEWS_PER_MINUTE, previewDraft } from "./draft-preview";

const newAction = () => `draft_${randomUUID().slice(0, 8)}.shared`;

/** Two organizations' `document.shared`-like events, with emails in metadata, some without `reason`. */
async function sharedEvents(action: string) {
  const orgs = [await createOrg("acme"), await createOrg("globex")];
  const emails = ["alice@acme.test", "bob@acme.test", "carol@globex.test", "dave@globex.test", "erin@globex.test", "zed@acme.test"];
  for (const [i, email] of emails.entries()) {
    const { principal } = await createKey(orgs[i % 2]!.id);
    const metadata = i < 4 ? { shared_with: email, reason: "review" } : { shared_with: email };
    await ingest(principal, { event: event({ action, targets: [{ type: i === 5 ? "folder" : "document", id: `doc_${i}` }], metadata }) }, null);
  }
  const ids = (await sql()<{ id: string }[]>`select id from audit_events where action = ${action}`).map((r) => r.id);
  return { orgs, emails, ids };
}

const metadata = (properties: Record<string, unknown>, required: string[] = []) => parseSchemaVersion({ target_types: ["document"], metadata_schema: { type: "object", properties, required } });

describe("draft check of a schema against recent events", () => {
  it("returns counts per field named from the draft, and nothing of any event (no value, id, organization or time)", async () => {
    const admin = await createVendorAdmin();
    const action = newAction();
    const { orgs, emails, ids } = await sharedEvents(action);
    const preview = await previewDraft(admin, action, metadata({ shared_with: { type: "string" }, reason: { type: "string" } }, ["reason"]));
    expect(preview).toEqual({
      checked: 6,
      failed: 2,
      minEvents: MIN_EVENTS_FOR_COUNTS,
      fields: [
        { field: "metadata.reason", rule: "required", events: 2 },
        { field: "targets[].type", rule: "target_types", events: 1 },
      ],
      unchecked: [],
    });
    const text = JSON.stringify(preview);
    for (const secret of [...emails, ...ids, ...orgs.map((o) => o.slug), "folder"]) expect(text).not.toContain(secret);
  });

  it("a draft that tests values is no oracle: `pattern` drafts give the same answer whatever they ask, and say the rule was not checked", async () => {
    const admin = await createVendorAdmin();
    const action = newAction();
    await sharedEvents(action);
    const ask = (pattern: string) => previewDraft(admin, action, metadata({ shared_with: { type: "string", pattern } }));
    const startsWithA = await ask("^a");
    const startsWithZ = await ask("^z");
    const nobody = await ask("^nobody$");
    expect(startsWithA).toEqual(startsWithZ);
    expect(startsWithA).toEqual(nobody);
    expect(startsWithA.unchecked).toEqual(["metadata.shared_with (pattern)"]);

    // Nor by inverting the question, or hiding it in enum or a length.
    const inverted = await previewDraft(admin, action, metadata({ shared_with: { not: { pattern: "^a" } } }));
    const listed = await previewDraft(admin, action, metadata({ shared_with: { enum: ["alice@acme.test"] } }));
    const long = await previewDraft(admin, action, metadata({ shared_with: { maxLength: 13 } }));
    for (const preview of [inverted, listed, long]) expect(preview).toMatchObject({ checked: 6, failed: 1, fields: [{ field: "targets[].type", rule: "target_types", events: 1 }] });
    expect(inverted.unchecked).toEqual(["metadata.shared_with (pattern)", "metadata.shared_with (not)"]);
  });

  it(`gives no counts below ${MIN_EVENTS_FOR_COUNTS} events`, async () => {
    const admin = await createVendorAdmin();
    const action = newAction();
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    await ingest(principal, { events: [event({ action, metadata: { note: "x" } }), event({ action, metadata: {} })] }, null);
    const preview = await previewDraft(admin, action, metadata({ note: { type: "string" } }, ["note"]));
    expect(preview).toMatchObject({ checked: 2, failed: null, fields: [] });
  });

  it(`allows ${PREVIEWS_PER_MINUTE} checks a minute per caller, then 429 with Retry-After`, async () => {
    const admin = await createVendorAdmin();
    const action = newAction();
    const draft = metadata({});
    for (let i = 0; i < PREVIEWS_PER_MINUTE; i++) await previewDraft(admin, action, draft);
    const refused = await previewDraft(admin, action, draft).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "rate_limited" });
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThan(0);
    // Another admin is not held back.
    await expect(previewDraft(await createVendorAdmin(), action, draft)).resolves.toMatchObject({ checked: 0 });
  });

  it("only a vendor admin may check a draft; others get 404", async () => {
    const org = await createOrg();
    const owner = await createUser(org.id, "owner");
    await expect(previewDraft(owner, newAction(), metadata({}))).rejects.toMatchObject({ code: "not_found" });
  });
});
