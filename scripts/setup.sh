#!/usr/bin/env bash
# Installs and builds everything hotswap needs, idempotently: each step is skipped when its output is
# newer than its inputs, so a second run takes seconds. Usage: npm run setup (or bash scripts/setup.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
K6_VERSION=v2.2.0

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is not installed; $2" >&2; exit 3; }; }
need node "install Node.js >= 20"
need go "install Go >= 1.26"
need cargo "install Rust (cargo) >= 1.95"

if [ ! -e node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci" npm ci --no-audit --no-fund
else
  skip "npm ci"
fi

if newer_than dist/.stamp src package.json tsconfig.json tsconfig.build.json; then
  build_ts() { rm -rf dist && npx tsc -p tsconfig.build.json && touch dist/.stamp; }
  step "compile TypeScript (src → dist)" build_ts
else
  skip "compile TypeScript"
fi

if [ -f service/build.sh ]; then
  step "build the reference service (Rust crate, baseline and rust binaries)" bash service/build.sh
fi

build_k6() {
  mkdir -p .tools/bin
  # k6 is not on npm: build the pinned version from the Go module proxy. The module in tools/k6 pins
  # go.k6.io/k6/v2 and its go.sum; `go install …@v2.2.0` itself stops on a deprecation lookup the
  # proxy does not answer for this module path.
  (cd tools/k6 && go build -trimpath -o "$ROOT/.tools/bin/k6" go.k6.io/k6/v2)
  .tools/bin/k6 version
}
if [ -x .tools/bin/k6 ] && .tools/bin/k6 version 2>/dev/null | grep -q "k6 $K6_VERSION" && [ .tools/bin/k6 -nt tools/k6/go.sum ]; then
  skip "k6 $K6_VERSION"
else
  step "build k6 $K6_VERSION from the Go module proxy (takes ~2 min the first time)" build_k6
fi
echo "setup: done; $(.tools/bin/k6 version | head -1)" >&2
