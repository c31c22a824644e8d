#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (idempotent), static checks for every language, the
# service's Go and Rust tests, then the TypeScript tests (unit, integration with the real k6 and both
# service builds, and the HTML report in Chromium). Usage: npm test [-- test/some/file.test.ts …]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/ensure-system-packages.sh
STEP_PREFIX=test

# cargo fmt and clippy (service/test.sh) are rustup components a minimal Rust install lacks.
if ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    step "rustup component add clippy rustfmt" rustup component add clippy rustfmt
  else
    echo "test: cargo fmt / cargo clippy are missing and there is no rustup to add them; install rustfmt and clippy" >&2
    exit 3
  fi
else
  skip "cargo fmt and clippy"
fi

# actionlint checks the GitHub workflows in test/deploy; a pinned build from the Go module proxy.
ACTIONLINT_VERSION=v1.7.12
if .tools/bin/actionlint -version 2>/dev/null | grep -q "^${ACTIONLINT_VERSION#v}"; then
  skip "actionlint $ACTIONLINT_VERSION"
else
  step "build actionlint $ACTIONLINT_VERSION (workflow checks)" \
    env GOBIN="$ROOT/.tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

# go-httpbin: a third-party Go service (no Prometheus endpoint) the tests trial through `kind: command`;
# the demo does not need it, so it is built here rather than in setup.sh. tools/httpbin pins it with go.sum.
HTTPBIN_VERSION=v2.26.0
build_httpbin() {
  mkdir -p .tools/bin
  (cd tools/httpbin && go build -trimpath -o "$ROOT/.tools/bin/go-httpbin" github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin)
}
if [ -x .tools/bin/go-httpbin ] && [ .tools/bin/go-httpbin -nt tools/httpbin/go.sum ] &&
  go version -m .tools/bin/go-httpbin 2>/dev/null | grep -q "mccutchen/go-httpbin/v2[[:space:]]*$HTTPBIN_VERSION"; then
  skip "go-httpbin $HTTPBIN_VERSION"
else
  step "build go-httpbin $HTTPBIN_VERSION from the Go module proxy (third-party service for the tests)" build_httpbin
fi

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
