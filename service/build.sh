#!/usr/bin/env bash
# Builds the reference service, skipping whatever is up to date (a second run takes about a second):
#   1. the Rust crate (service/hotspot) as a static library, with `cargo rustc --release -- --print
#      native-static-libs`, whose note names the system libraries cgo must link (saved beside the .a);
#   2. build/bin/hotswap-service-baseline: pure Go, CGO_ENABLED=0;
#   3. build/bin/hotswap-service-rust: the same tree with -tags rusthotspot, linked against the crate.
# Each real build's wall time, binary size and toolchains go to build/build-info.json (BuildInfo in
# src/model/run.ts); a configuration that was skipped keeps its previous record.
# With HOTSWAP_COLD_BUILD=1 it also times each configuration from scratch (empty Go build cache and
# Cargo target folder in a temporary directory; downloaded modules and crates are reused) and records
# that as coldBuildSeconds: the figure a newcomer or a CI machine pays, which incremental builds hide.
# Usage: bash service/build.sh   (scripts/setup.sh calls it); HOTSWAP_COLD_BUILD=1 bash service/build.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/service/lib.sh"
STEP_PREFIX="${STEP_PREFIX:-service}"
cd "$ROOT/service"

BIN="$ROOT/build/bin"
INFO="$ROOT/build/build-info.json"
CRATE_SECONDS="$SERVICE/hotspot/target/release/crate-build-seconds.txt"
GO_INPUTS=(cmd internal go.mod go.sum)
RUST_INPUTS=(hotspot/src hotspot/include hotspot/Cargo.toml hotspot/Cargo.lock)
mkdir -p "$BIN"
GO_VERSION="$(go env GOVERSION)"
RUSTC_VERSION="$(rustc --version | cut -d' ' -f1-2)"
CARGO_VERSION="$(cargo --version | cut -d' ' -f1-2)"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# record CONFIG SECONDS BINARY STEPS TOOLCHAIN...: merges one configuration into build-info.json
# (STEPS is "tool=seconds,…"). A coldBuildSeconds already there is kept.
record() {
  local config="$1" seconds="$2" binary="$3" steps="$4"; shift 4
  node -e '
    const fs = require("node:fs");
    const [file, config, seconds, binary, steps, ...toolchains] = process.argv.slice(1);
    let info = {};
    try { info = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
    info[config] = {
      ...(info[config]?.coldBuildSeconds !== undefined && { coldBuildSeconds: info[config].coldBuildSeconds }),
      buildSeconds: Number(seconds),
      binaryBytes: fs.statSync(binary).size,
      toolchains,
      steps: Object.fromEntries(steps.split(",").map((s) => s.split("=")).map(([k, v]) => [k, Number(v)])),
      builtAt: new Date().toISOString(),
    };
    fs.writeFileSync(file + ".tmp", JSON.stringify(info, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
  ' "$INFO" "$config" "$seconds" "$binary" "$steps" "$@"
}

build_crate() {
  local t0 log; t0="$(now)"; log="$(mktemp)"
  cargo rustc --release --lib --manifest-path hotspot/Cargo.toml -- --print native-static-libs 2>"$log" || { cat "$log"; return 1; }
  local libs; libs="$(sed -n 's/^note: native-static-libs: //p' "$log")"
  [ -n "$libs" ] || { cat "$log"; echo "service: cargo printed no native-static-libs line" >&2; return 1; }
  printf '%s\n' "$libs" >"$HOTSPOT_NATIVE_LIBS"
  elapsed "$t0" >"$CRATE_SECONDS"
}
if [ ! -f "$HOTSPOT_LIB" ] || newer_than "$HOTSPOT_NATIVE_LIBS" "${RUST_INPUTS[@]}"; then
  step "cargo build --release (Rust hotspot staticlib)" build_crate
else
  skip "Rust hotspot crate"
fi

build_baseline() {
  local t0; t0="$(now)"
  CGO_ENABLED=0 go build -trimpath -o "$BIN/hotswap-service-baseline" ./cmd/hotswap-service
  local s; s="$(elapsed "$t0")"
  record baseline "$s" "$BIN/hotswap-service-baseline" "go=$s" "$GO_VERSION"
}
if newer_than "$BIN/hotswap-service-baseline" "${GO_INPUTS[@]}"; then
  step "go build baseline (CGO_ENABLED=0)" build_baseline
else
  skip "baseline binary"
fi

build_rust() {
  rust_cgo_env
  local t0; t0="$(now)"
  go build -tags rusthotspot -trimpath -o "$BIN/hotswap-service-rust" ./cmd/hotswap-service
  local g c; g="$(elapsed "$t0")"; c="$(cat "$CRATE_SECONDS" 2>/dev/null || echo 0)"
  record rust "$(awk -v a="$g" -v b="$c" 'BEGIN { printf "%.2f", a + b }')" "$BIN/hotswap-service-rust" \
    "cargo=$c,go=$g" "$GO_VERSION" "$RUSTC_VERSION" "$CARGO_VERSION"
}
if newer_than "$BIN/hotswap-service-rust" "${GO_INPUTS[@]}" "$HOTSPOT_LIB"; then
  step "go build rust (cgo, -tags rusthotspot)" build_rust
else
  skip "rust binary"
fi

# cold_build: both configurations from scratch in a scratch cache; only the timings are kept.
cold_build() {
  local tmp="$ROOT/build/cold-build"  # scratch, removed before and after
  rm -rf "$tmp" && mkdir -p "$tmp"
  local t0 base cargo gorust
  t0="$(now)"
  GOCACHE="$tmp/gocache-baseline" CGO_ENABLED=0 go build -trimpath -o "$tmp/baseline" ./cmd/hotswap-service
  base="$(elapsed "$t0")"
  t0="$(now)"
  CARGO_TARGET_DIR="$tmp/target" cargo build --release --lib --manifest-path hotspot/Cargo.toml
  cargo="$(elapsed "$t0")"
  t0="$(now)"
  GOCACHE="$tmp/gocache-rust" CGO_ENABLED=1 CGO_LDFLAGS="$tmp/target/release/libhotspot.a $(cat "$HOTSPOT_NATIVE_LIBS")" \
    go build -tags rusthotspot -trimpath -o "$tmp/rust" ./cmd/hotswap-service
  gorust="$(elapsed "$t0")"
  node -e '
    const fs = require("node:fs");
    const [file, base, cargo, gorust] = process.argv.slice(1);
    const info = JSON.parse(fs.readFileSync(file, "utf8"));
    info.baseline.coldBuildSeconds = Number(base);
    info.rust.coldBuildSeconds = Number((Number(cargo) + Number(gorust)).toFixed(2));
    info.rust.coldSteps = { cargo: Number(cargo), go: Number(gorust) };
    fs.writeFileSync(file + ".tmp", JSON.stringify(info, null, 2) + "\n");
    fs.renameSync(file + ".tmp", file);
  ' "$INFO" "$base" "$cargo" "$gorust"
  chmod -R u+w "$tmp" && rm -rf "$tmp"
}
if [ "${HOTSWAP_COLD_BUILD:-0}" = 1 ]; then
  step "cold builds from empty caches (HOTSWAP_COLD_BUILD=1)" cold_build
fi
