#!/usr/bin/env bash
# Produces the ingest fixtures from real tools, against a stand-in server on 127.0.0.1 only:
#   test/fixtures/k6/         k6 v2.2.0 (.tools/bin/k6) CSV (unix_micro), CSV.gz, JSON, JSON.gz of one small run;
#                             a larger run (with dropped iterations) as CSV.gz and JSON.gz; two execution
#                             segments of one run (two k6 processes at once) as CSV.gz
#   test/fixtures/autocannon/ autocannon per-response latencies in hotswap's raw NDJSON (src/ingest/autocannon.ts)
#   test/fixtures/prometheus/ a scrape of a Go client_golang v1.24.1 process (test/fixtures/prometheus/src)
# Usage: bash scripts/make-fixtures.sh   (needs npm run setup; Go for the Prometheus scrape)
# The outputs differ per run (timings); tests check structure and compare readers against a naive
# reference parse, never against hard-coded latencies.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -x .tools/bin/k6 ] || bash scripts/setup.sh
K6=.tools/bin/k6
K6_DIR=test/fixtures/k6
AC_DIR=test/fixtures/autocannon
PROM_DIR=test/fixtures/prometheus
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_server CMD... : runs a server that prints its port on the first stdout line; sets PORT.
start_server() {
  local log="$WORK/server-$RANDOM.out"
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    PORT="$(head -n1 "$log" 2>/dev/null || true)"
    [[ "$PORT" =~ ^[0-9]+$ ]] && return 0
    sleep 0.1
  done
  echo "make-fixtures: server did not start: $*" >&2
  cat "$log" >&2
  exit 3
}

export K6_NO_USAGE_REPORT=true K6_CSV_TIME_FORMAT=unix_micro
k6run() { "$K6" run --quiet --no-usage-report "$@" "$K6_DIR/src/scenario.js"; }

start_server node "$K6_DIR/src/server.mjs"
rm -f "$K6_DIR"/*.csv "$K6_DIR"/*.gz "$K6_DIR"/*.json
echo "make-fixtures: fixture server on 127.0.0.1:$PORT" >&2

# 1. Small run, all four output kinds at once (the same samples in each).
k6run -e PORT="$PORT" -e RATE=10 -e DURATION=2s \
  --out csv="$K6_DIR/small.csv" --out csv="$K6_DIR/small.csv.gz" \
  --out json="$K6_DIR/small.json" --out json="$K6_DIR/small.json.gz"

# 2. Larger run: 80/s for 4 s on 2 VUs; the slow orders endpoint makes k6 drop some iterations.
k6run -e PORT="$PORT" -e RATE=80 -e DURATION=4s -e VUS=2 \
  --out csv="$K6_DIR/run.csv.gz" --out json="$K6_DIR/run.json.gz"

# 3. One run split over two k6 processes (execution segments), as several pods would run it.
SEQ=0,1/2,1
k6run -e PORT="$PORT" -e RATE=40 -e DURATION=3s -e VUS=4 --execution-segment 0:1/2 \
  --execution-segment-sequence "$SEQ" --out csv="$K6_DIR/segment-1.csv.gz" &
SEG1=$!
k6run -e PORT="$PORT" -e RATE=40 -e DURATION=3s -e VUS=4 --execution-segment 1/2:1 \
  --execution-segment-sequence "$SEQ" --out csv="$K6_DIR/segment-2.csv.gz"
wait "$SEG1"

# 4. autocannon against the same server.
node "$AC_DIR/src/record.mjs" "$PORT" "$AC_DIR/scan.ndjson"

# 5. A real Prometheus scrape of a Go process.
(cd "$PROM_DIR/src" && go build -o "$WORK/promsrc" .)
start_server "$WORK/promsrc"
curl -sf "http://127.0.0.1:$PORT/metrics" >"$PROM_DIR/go-client.prom"

{
  echo "Produced by scripts/make-fixtures.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "k6: $("$K6" version | head -1)"
  echo "autocannon: $(node -p "require('autocannon/package.json').version")"
  echo "node: $(node --version); go: $(go env GOVERSION); client_golang v1.24.1"
} >test/fixtures/k6/PROVENANCE.txt
cp test/fixtures/k6/PROVENANCE.txt "$AC_DIR/PROVENANCE.txt"
cp test/fixtures/k6/PROVENANCE.txt "$PROM_DIR/PROVENANCE.txt"
du -ch "$K6_DIR"/*.csv "$K6_DIR"/*.gz "$K6_DIR"/*.json "$AC_DIR"/*.ndjson "$PROM_DIR"/*.prom | tail -1 >&2
