import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The lib/ folders, lowest first. A folder imports values only from folders on
 * a lower layer (never from one on its own layer or above) and from the
 * utilities directly in lib/. Type-only imports are free: they leave no trace
 * at run time. A new folder has to be placed here before it is used.
 */
const LAYERS: readonly (readonly string[])[] = [
  // Who is calling: principals, sessions, passwords, one-time links; the job queue.
  ["auth", "jobs"],
  // What they may do: permissions, scopes, page and action guards, the caller as an event actor.
  ["access"],
  // The audit log: store, ingest, search, export, Orgtrail's own events.
  ["events"],
  ["schemas"],
  // Changes that record Orgtrail's own events.
  ["accounts", "members", "org-keys", "support", "streams", "portal", "saved-searches"],
  ["admin"],
  // HTTP: route-handler wrapper, error mapping, request guards.
  ["api"],
  // The WorkOS-compatible API: the services above in WorkOS's routes and shapes.
  ["workos"],
];

/** The one file directly in lib/ that wires folders together; every other file there is a utility and imports no folder. */
const COMPOSITION_ROOT = "lib/job-workers.ts";

type SourceFile = { path: string; source: string };
type Import = { from: string; spec: string; target: string };

/** The lib/ imports of a file that exist at run time: `import type`, `export type` and all-`type` specifier lists are left out. */
function valueImports(file: SourceFile): Import[] {
  const node = ts.createSourceFile(file.path, file.source, ts.ScriptTarget.Latest, false, file.path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isImportDeclaration(child) && ts.isStringLiteral(child.moduleSpecifier) && !isTypeOnlyImport(child)) specs.push(child.moduleSpecifier.text);
    if (ts.isExportDeclaration(child) && child.moduleSpecifier && ts.isStringLiteral(child.moduleSpecifier) && !isTypeOnlyExport(child)) specs.push(child.moduleSpecifier.text);
    if (ts.isCallExpression(child) && child.expression.kind === ts.SyntaxKind.ImportKeyword && child.arguments[0] && ts.isStringLiteral(child.arguments[0])) specs.push(child.arguments[0].text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return specs.flatMap((spec) => {
    const target = spec.startsWith("@/lib/") ? `lib/${spec.slice("@/lib/".length)}` : spec.startsWith(".") ? path.posix.join(path.posix.dirname(file.path), spec) : null;
    return target?.startsWith("lib/") ? [{ from: file.path, spec, target }] : [];
  });
}

function isTypeOnlyImport(declaration: ts.ImportDeclaration): boolean {
  const clause = declaration.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function isTypeOnlyExport(declaration: ts.ExportDeclaration): boolean {
  if (declaration.isTypeOnly) return true;
  const clause = declaration.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
}

/** The folder of lib/ a path is in, or null for a file directly in lib/ (`lib/events` alone is the folder when it is one). */
function folderOf(target: string, folders: ReadonlySet<string>): string | null {
  const parts = target.split("/");
  if (parts.length > 2) return parts[1]!;
  return folders.has(parts[1]!) ? parts[1]! : null;
}

/** Folders that reach each other through value imports (Tarjan's strongly connected components of more than one folder). */
function cyclicGroups(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    onStack.add(folder);
    for (const next of edges.get(folder) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(folder, Math.min(low.get(folder)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(folder, Math.min(low.get(folder)!, index.get(next)!));
    }
    if (low.get(folder) !== index.get(folder)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== folder);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const folder of [...edges.keys()].sort()) if (!index.has(folder)) connect(folder);
  return groups;
}

/**
 * Every break of the layering among lib/ files, as `file → import` lines:
 * folder cycles, imports of a folder on the same or a higher layer, folders
 * missing from `layers`, and root utilities that import a folder.
 */
function folderViolations(files: readonly SourceFile[], layers: readonly (readonly string[])[] = LAYERS): string[] {
  const folders = new Set(files.map((file) => folderOf(file.path, new Set())).filter((folder): folder is string => folder !== null));
  const layerOf = new Map(layers.flatMap((names, layer) => names.map((name) => [name, layer] as const)));
  const edges = new Map<string, Set<string>>();
  const examples = new Map<string, string[]>();
  const violations: string[] = [];
  for (const folder of [...folders].sort()) if (!layerOf.has(folder)) violations.push(`lib/${folder}/ is in no layer: add it to LAYERS`);
  for (const file of files) {
    const from = folderOf(file.path, folders);
    for (const { spec, target } of valueImports(file)) {
      const to = folderOf(target, folders);
      const line = `${file.path} → ${spec}`;
      if (to === null || from === to) continue;
      if (from === null) {
        if (file.path !== COMPOSITION_ROOT) violations.push(`${line}: a utility in lib/ imports the ${to} folder`);
        continue;
      }
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
      examples.set(`${from}→${to}`, [...(examples.get(`${from}→${to}`) ?? []), line]);
      const [fromLayer, toLayer] = [layerOf.get(from), layerOf.get(to)];
      if (fromLayer !== undefined && toLayer !== undefined && toLayer >= fromLayer) violations.push(`${line}: ${from} may not import ${to} (${toLayer === fromLayer ? "same layer" : "higher layer"})`);
    }
  }
  for (const group of cyclicGroups(edges)) {
    const inside = group.flatMap((from) => group.flatMap((to) => examples.get(`${from}→${to}`) ?? []));
    violations.unshift(`cycle among ${group.join(", ")}:\n    ${inside.join("\n    ")}`);
  }
  return violations;
}

/** Every non-test .ts/.tsx file under lib/ (test helpers in testing/ folders included with the tests). */
function libFiles(): SourceFile[] {
  return readdirSync("lib", { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => path.posix.join(entry.parentPath.split(path.sep).join("/"), entry.name))
    .filter((file) => !file.split("/").includes("testing"))
    .map((file) => ({ path: file, source: readFileSync(file, "utf8") }));
}

describe("lib/ layers", () => {
  it("holds for the real tree: no folder cycles, every import points down", () => {
    const files = libFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(folderViolations(files)).toEqual([]);
  });

  it("reports a cycle and the upward import, naming each file and import", () => {
    const violations = folderViolations([
      { path: "lib/access/members.ts", source: 'import { recordAppEvent } from "@/lib/events/app-events";\nimport { can } from "./permissions";' },
      { path: "lib/access/permissions.ts", source: "export const can = () => true;" },
      { path: "lib/events/app-events.ts", source: 'import { resolveOrgScope } from "../access/scope";\nexport const recordAppEvent = resolveOrgScope;' },
    ]);
    expect(violations).toEqual([
      "cycle among access, events:\n    lib/access/members.ts → @/lib/events/app-events\n    lib/events/app-events.ts → ../access/scope",
      "lib/access/members.ts → @/lib/events/app-events: access may not import events (higher layer)",
    ]);
  });

  it("finds a cycle through three folders", () => {
    const cyclic: readonly (readonly string[])[] = [["a", "b", "c"]];
    const violations = folderViolations(
      [
        { path: "lib/a/x.ts", source: 'export { y } from "@/lib/b/y";' },
        { path: "lib/b/y.ts", source: 'export const y = () => import("../c/z");' },
        { path: "lib/c/z.ts", source: 'import "@/lib/a/x";' },
      ],
      cyclic,
    );
    expect(violations[0]).toBe("cycle among a, b, c:\n    lib/a/x.ts → @/lib/b/y\n    lib/b/y.ts → ../c/z\n    lib/c/z.ts → @/lib/a/x");
  });

  it("ignores type-only imports and exports, and imports from outside lib/", () => {
    const source = [
      'import type { Scope } from "@/lib/access/scope";',
      'import { type Principal } from "@/lib/auth/principal";',
      'export type { AppEvent } from "@/lib/events/app-events";',
      'export { type EventEntity } from "../events/types";',
      'import { db } from "@/db/client";',
      'import { z } from "zod";',
    ].join("\n");
    expect(folderViolations([{ path: "lib/auth/sessions.ts", source }])).toEqual([]);
    expect(folderViolations([{ path: "lib/auth/sessions.ts", source: 'import { type Scope, resolveOrgScope } from "@/lib/access/scope";' }])).toEqual([
      "lib/auth/sessions.ts → @/lib/access/scope: auth may not import access (higher layer)",
    ]);
  });

  it("refuses imports within a layer, folders with no layer, and root utilities that import a folder", () => {
    expect(folderViolations([{ path: "lib/members/invites.ts", source: 'import { recordUserEvent } from "@/lib/accounts/sign-in-events";' }])).toEqual([
      "lib/members/invites.ts → @/lib/accounts/sign-in-events: members may not import accounts (same layer)",
    ]);
    expect(folderViolations([{ path: "lib/billing/plans.ts", source: 'import { AppError } from "@/lib/errors";' }])).toEqual(["lib/billing/ is in no layer: add it to LAYERS"]);
    expect(folderViolations([{ path: "lib/errors.ts", source: 'import { can } from "./access/permissions";' }])).toEqual([
      "lib/errors.ts → ./access/permissions: a utility in lib/ imports the access folder",
    ]);
    expect(folderViolations([{ path: COMPOSITION_ROOT, source: 'import { runDeliveries } from "@/lib/streams/delivery";' }])).toEqual([]);
  });
});
