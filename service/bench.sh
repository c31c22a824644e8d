#!/usr/bin/env bash
# Kernel benchmarks, Go against Rust through cgo, side by side in one run, plus the bare cgo call and the
# endpoints through the HTTP handler. Prints benchstat-compatible lines (kept in build/service-bench.txt; compare with
# `go run golang.org/x/perf/cmd/benchstat@latest -col /impl build/service-bench.txt`), then a summary of median ns/op per benchmark and the Go/Rust ratio.
# Usage: bash service/bench.sh [COUNT] [BENCHTIME]   (defaults 6 and 0.5s; benchstat wants >= 6 samples)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/service/lib.sh"
cd "$ROOT/service"
COUNT="${1:-6}"
BENCHTIME="${2:-0.5s}"
rust_cgo_env
mkdir -p "$ROOT/build"
out="$ROOT/build/service-bench.txt"  # raw lines, for benchstat
go test -tags rusthotspot -run '^$' -bench . -benchmem -count "$COUNT" -benchtime "$BENCHTIME" \
  ./internal/hotspot/ ./internal/server/ | tee "$out"
echo
echo "summary (median over $COUNT runs; speedup = go ns/op ÷ rust ns/op):"
awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    for (i = 3; i < NF; i++) {
      if ($(i + 1) == "ns/op") ns[name] = ns[name] " " $i
      if ($(i + 1) == "B/op") bop[name] = $i
      if ($(i + 1) == "allocs/op") aop[name] = $i
    }
  }
  function median(s,   a, m, i, j, t) {
    m = split(s, a, " ")
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  END {
    for (k in ns) med[k] = median(ns[k])
    for (i = 1; i <= n; i++) {
      k = order[i]
      printf "  %-52s %14.0f ns/op %10s B/op %6s allocs/op", k, med[k], bop[k], aop[k]
      if (k ~ /impl=rust/) {
        g = k; sub(/impl=rust(-batch)?/, "impl=go", g)
        if (g in med) printf "   go/rust = %.2fx", med[g] / med[k]
      }
      if (k ~ /endpoint=fieldsBatch\/impl=rust/) {
        g = k; sub(/fieldsBatch\/impl=rust/, "fields/impl=go", g)
        if (g in med) printf " (vs per-field go: %.2fx)", med[g] / med[k]
      }
      printf "\n"
    }
  }
' "$out"
echo "raw benchmark lines: $out"
