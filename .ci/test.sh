#!/usr/bin/env bash
# npm test: every check in order, counting results; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .ci/results
rm -f .ci/results/*.json

passed=0
failed=0

step() {
  local name=$1
  shift
  echo "::: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "::: $name FAILED"
    failed=$((failed + 1))
  fi
}

# Adds a runner's own counts (from its JSON report) to the totals.
count() {
  local file=$1 kind=$2
  if [[ ! -s $file ]]; then
    echo "::: no $kind report at $file"
    failed=$((failed + 1))
    return
  fi
  read -r p f < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (process.argv[2] === "vitest") console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0));
    else console.log(r.stats.expected + r.stats.flaky, r.stats.unexpected);
  ' "$file" "$kind")
  passed=$((passed + p))
  failed=$((failed + f))
}

step "typecheck" npx tsc --noEmit
step "lint" npx eslint . --max-warnings=0

# The e2e server gets a fresh embedded database unless DATABASE_URL points at one.
rm -rf .data-e2e

echo "::: vitest"
npx vitest run --reporter=default --reporter=json --outputFile=.ci/results/vitest.json
count .ci/results/vitest.json vitest

step "next build" npx next build

# The browser tests get a database of their own: the Vitest run leaves organizations,
# staff and keys behind that pages would list, and the browser tests expect the demo data alone.
e2e_database_url=""
if [[ -n "${DATABASE_URL:-}" ]]; then
  e2e_database_url=$(node scripts/e2e-database.mjs create "$DATABASE_URL")
fi

echo "::: playwright"
DATABASE_URL=${e2e_database_url:-${DATABASE_URL:-}} npx playwright test
count .ci/results/playwright.json playwright

if [[ -n "$e2e_database_url" ]]; then
  node scripts/e2e-database.mjs drop "$e2e_database_url" || true
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
