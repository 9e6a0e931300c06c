/**
 * `node scripts/e2e-database.mjs create <url>`: makes a fresh database beside
 * the one <url> names (`<name>_e2e`, dropped first if left over) and prints its
 * URL. `drop <url>` drops it. Used by .ci/test.sh so the browser tests start
 * from the demo data alone.
 */
import postgres from "postgres";

const [command, url] = process.argv.slice(2);
if (!["create", "drop"].includes(command ?? "") || !url) {
  console.error("usage: node scripts/e2e-database.mjs create|drop <postgres url>");
  process.exit(2);
}
const target = new URL(url);
const name = command === "create" ? `${target.pathname.slice(1)}_e2e` : target.pathname.slice(1);
if (!/^[A-Za-z0-9_]+$/.test(name)) {
  console.error(`refusing the database name ${JSON.stringify(name)}`);
  process.exit(2);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
try {
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  if (command === "create") {
    await sql.unsafe(`create database "${name}"`);
    target.pathname = `/${name}`;
    console.log(target.toString());
  }
} finally {
  await sql.end();
}
