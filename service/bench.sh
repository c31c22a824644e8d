#!/usr/bin/env bash
# Kernel benchmarks, Go against Rust through cgo, side by side in one run, plus the bare cgo call and the
# endpoints through the HTTP handler. Prints benchstat-compatible lines (save them and run
# `benchstat -col /impl file`), then a summary of median ns/op per benchmark and the Go/Rust ratio.
# Usage: bash service/bench.sh [COUNT] [BENCHTIME]   (defaults 5 and 0.5s)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/service/lib.sh"
cd "$ROOT/service"
COUNT="${1:-5}"
BENCHTIME="${2:-0.5s}"
rust_cgo_env
out="$(mktemp)"
go test -tags rusthotspot -run '^$' -bench . -benchmem -count "$COUNT" -benchtime "$BENCHTIME" \
  ./internal/hotspot/ ./internal/server/ | tee "$out"
echo
echo "summary (median over $COUNT runs; speedup = go ns/op ÷ rust ns/op):"
awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    for (i = 3; i < NF; i++) {
      if ($(i + 1) == "ns/op") ns[name] = ns[name] " " $i
      if ($(i + 1) == "B/op") bop[name] = $i
      if ($(i + 1) == "allocs/op") aop[name] = $i
    }
  }
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in ns) med[k] = median(ns[k])
    n = asorti(med, keys)
    for (i = 1; i <= n; i++) {
      k = keys[i]
      printf "  %-52s %14.0f ns/op %10s B/op %6s allocs/op", k, med[k], bop[k], aop[k]
      if (k ~ /impl=rust/) {
        g = k; sub(/impl=rust(-batch)?/, "impl=go", g)
        if (g in med) printf "   go/rust = %.2fx", med[g] / med[k]
      }
      printf "\n"
    }
  }
' "$out"
rm -f "$out"
