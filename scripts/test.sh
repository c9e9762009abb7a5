#!/usr/bin/env bash
# Installs everything, starts the services, then runs the whole suite: typecheck, lint, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
npm run --silent typecheck
npm run --silent lint
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/results.json || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/results.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "$status"
