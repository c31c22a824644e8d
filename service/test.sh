#!/usr/bin/env bash
# The service's own checks, as scripts/test.sh runs them after set-up: formatting and vet for Go (both
# build tags), the Go tests (race detector on the pure-Go build; the cgo build with the 10,000-body
# differential corpus and the fault-injection fallback test), a bounded differential fuzz run, and
# cargo fmt / clippy / test for the crate. Usage: bash service/test.sh  (FUZZTIME=25s to change the fuzz budget)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/service/lib.sh"
STEP_PREFIX=service
cd "$ROOT/service"
FUZZTIME="${FUZZTIME:-25s}"
LOGS="$ROOT/build/service-test"
mkdir -p "$LOGS"

gofmt_clean() {
  local out; out="$(gofmt -l .)"
  [ -z "$out" ] || { echo "gofmt would change:"; echo "$out"; return 1; }
}
step "gofmt -l" gofmt_clean
step "go vet (baseline)" env CGO_ENABLED=0 go vet ./...
step "go vet (-tags rusthotspot)" env CGO_ENABLED=1 go vet -tags rusthotspot ./...
step "go test -race (pure Go build)" go test -race -count=1 ./...
rust_cgo_env
go_test_rust() { go test -tags rusthotspot -count=1 -v ./... >"$LOGS/go-test-rust.log" 2>&1 || { grep -v '^=== ' "$LOGS/go-test-rust.log"; return 1; }; }
step "go test -tags rusthotspot (differential corpus, fallback, cgo)" go_test_rust
grep -o 'differential corpus: .*' "$LOGS/go-test-rust.log" | sed 's/^/service: /' >&2
echo "service: go test (rust build): $(grep -c '^--- PASS' "$LOGS/go-test-rust.log") passed, $(grep -c '^--- FAIL' "$LOGS/go-test-rust.log") failed" >&2
step "go test -fuzz FuzzDifferential (-fuzztime $FUZZTIME)" \
  go test -tags rusthotspot -run '^$' -fuzz '^FuzzDifferential$' -fuzztime "$FUZZTIME" ./internal/hotspot/
cd hotspot
step "cargo fmt --check" cargo fmt --check
step "cargo clippy -- -D warnings" cargo clippy --all-targets -- -D warnings
step "cargo test" cargo test
