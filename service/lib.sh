# Shared by service/build.sh, service/test.sh and service/bench.sh: where the Rust static library is and
# the linker flags cgo needs for it. The system libraries are the ones rustc names with
# `--print native-static-libs`, saved by build.sh next to the library.
SERVICE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOTSPOT_LIB="$SERVICE/hotspot/target/release/libhotspot.a"
HOTSPOT_NATIVE_LIBS="$SERVICE/hotspot/target/release/native-static-libs.txt"

# rust_cgo_env: exports what `go build|test -tags rusthotspot` needs; fails if the crate is not built.
rust_cgo_env() {
  if [ ! -f "$HOTSPOT_LIB" ] || [ ! -f "$HOTSPOT_NATIVE_LIBS" ]; then
    echo "service: the Rust crate is not built ($HOTSPOT_LIB); run bash service/build.sh" >&2
    return 3
  fi
  export CGO_ENABLED=1
  export CGO_LDFLAGS="$HOTSPOT_LIB $(cat "$HOTSPOT_NATIVE_LIBS")"
}
