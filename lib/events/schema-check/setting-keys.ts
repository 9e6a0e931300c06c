/** Whether events whose action has no schema are refused (true) or accepted (false, the default). */
export const REQUIRE_SCHEMA_SETTING = "ingest.require_schema";
