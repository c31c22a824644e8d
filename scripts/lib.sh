# Shared helpers for setup.sh and test.sh: named steps that say what failed and why.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/bin:$PATH"
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# step NAME CMD...: runs CMD, prints how long it took, and on failure names the step and shows the log tail.
step() {
  local name="$1"; shift
  local log; log="$(mktemp)"
  local start=$SECONDS
  printf '%s: %s … ' "${STEP_PREFIX:-setup}" "$name" >&2
  if "$@" >"$log" 2>&1; then
    printf 'ok (%ss)\n' "$((SECONDS - start))" >&2
    rm -f "$log"
  else
    local rc=$?
    printf 'FAILED (exit %s)\n' "$rc" >&2
    tail -n 40 "$log" | sed 's/^/  | /' >&2
    printf '%s: step "%s" failed; the lines above are the end of its output (full log: %s)\n' "${STEP_PREFIX:-setup}" "$name" "$log" >&2
    exit "$rc"
  fi
}

skip() { printf '%s: %s … up to date\n' "${STEP_PREFIX:-setup}" "$1" >&2; }

# newer_than STAMP PATH...: true when STAMP is missing or any file under PATH is newer than it.
newer_than() {
  local stamp="$1"; shift
  [ -e "$stamp" ] || return 0
  [ -n "$(find "$@" -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}
