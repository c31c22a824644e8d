#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (idempotent), static checks for every language, the
# service's Go and Rust tests, then the TypeScript tests (unit, integration with the real k6 and both
# service builds, and the HTML report in Chromium). Usage: npm test [-- test/some/file.test.ts …]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/ensure-system-packages.sh
STEP_PREFIX=test

if [ $# -gt 0 ]; then
  exec node --import tsx --test --test-concurrency=1 "$@"
fi

step "typecheck src and test (tsc --strict)" npx tsc -p tsconfig.json
step "typecheck k6 scenarios (tsc with @types/k6)" npx tsc -p scenarios/tsconfig.json
step "eslint (incl. import direction)" npx eslint .
step "prettier --check" npx prettier --check .
if [ -f service/test.sh ]; then
  bash service/test.sh
fi

shopt -s globstar nullglob
files=(test/**/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then
  echo "test: no TypeScript tests found under test/" >&2
  exit 1
fi
echo "test: node --test over ${#files[@]} files" >&2
node --import tsx --test --test-concurrency=1 "${files[@]}"
