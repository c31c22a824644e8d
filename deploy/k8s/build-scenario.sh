#!/usr/bin/env bash
# Bundles one k6 scenario (scenarios/<name>.ts and its scenarios/lib imports) into a single ES module,
# deploy/k8s/build/scenario.js, for the ConfigMap the TestRuns mount at /test. A ConfigMap holds flat keys
# only (no lib/ folder) and at most 1 MiB, so the scenario is bundled (esbuild, k6 modules left external)
# and the request corpus travels on the data volume instead (see README "Split load / Kubernetes").
# The bundle is checked by the real k6 (`k6 inspect`) before it is written.
#
# Usage: deploy/k8s/build-scenario.sh [steady|ramp|spike|soak|rollback]   (default: steady)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME="${1:-steady}"
SRC="$ROOT/scenarios/$NAME.ts"
OUT_DIR="${OUT_DIR:-$ROOT/deploy/k8s/build}"
K6="${K6:-$ROOT/.tools/bin/k6}"
if [ ! -f "$SRC" ]; then
  echo "build-scenario: scenarios/$NAME.ts: no such scenario (have: $(cd "$ROOT/scenarios" && ls *.ts 2>/dev/null | sed 's/\.ts$//' | tr '\n' ' '))" >&2
  exit 2
fi
mkdir -p "$OUT_DIR"
tmp="$OUT_DIR/.scenario.$$.js"
trap 'rm -f "$tmp"' EXIT
"$ROOT/node_modules/.bin/esbuild" "$SRC" --bundle --format=esm --platform=neutral --target=es2022 \
  --external:k6 --external:'k6/*' --log-level=warning --outfile="$tmp"
if [ -x "$K6" ]; then
  # k6 inspect runs the init code, so it needs the scenario's settings: a one-line corpus and small values.
  probe="$OUT_DIR/.corpus.$$.ndjson"
  trap 'rm -f "$tmp" "$probe"' EXIT
  echo '{"method":"GET","path":"/healthz"}' >"$probe"
  "$K6" inspect -e CORPUS="$probe" -e RATE=1 -e DURATION=1 -e STEPS=1:1 "$tmp" >/dev/null \
    || { echo "build-scenario: k6 inspect rejected the bundle of scenarios/$NAME.ts" >&2; exit 3; }
fi
mv "$tmp" "$OUT_DIR/scenario.js"
size=$(wc -c <"$OUT_DIR/scenario.js")
if [ "$size" -gt 1000000 ]; then
  echo "build-scenario: bundle is $size bytes; a ConfigMap holds at most 1 MiB" >&2
  exit 3
fi
echo "build-scenario: $OUT_DIR/scenario.js ($size bytes) from scenarios/$NAME.ts" >&2
