import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * DESIGN ("Access"): every read of audit_events takes a Scope. The table is
 * reached only through lib/events/store: visibleEvents(scope) for reads,
 * event-writes.ts for the raw SQL that changes it. Elsewhere the table object
 * cannot be imported and no SQL text may name the table (eslint.config.test.ts).
 */
const EVENT_STORE = "lib/events/store/**";
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/*.spec.ts", "db/**", "e2e/**"];
const STORE_MESSAGE = "audit_events is reached only through lib/events/store: read with visibleEvents(scope) (lib/events/store/visible-events.ts).";

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", ".next-*/**", ".data-e2e/**", "node_modules/**", ".data/**", ".data-test/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    ignores: [EVENT_STORE, ...TESTS],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@/db/schema", importNames: ["auditEvents"], message: STORE_MESSAGE }],
          patterns: [{ regex: "^\\.{1,2}/(.*/)?db/schema(\\.ts)?$", importNames: ["auditEvents"], message: STORE_MESSAGE }],
        },
      ],
    },
  },
  {
    ignores: [EVENT_STORE, ...TESTS, "bench/**", "scripts/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "TemplateElement[value.raw=/\\baudit_events\\b/]", message: STORE_MESSAGE },
        { selector: "MemberExpression[property.name='auditEvents']", message: STORE_MESSAGE },
      ],
    },
  },
];

export default config;
