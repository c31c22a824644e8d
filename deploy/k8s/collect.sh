#!/usr/bin/env bash
# Copies every k6 pod's raw CSV (and summary) from the data volume into OUT, next to run-trial.sh's
# scrapes, then assembles them into a trial folder and analyses it:
#
#   PLAN=plans/k8s.yaml OUT=k6-out deploy/k8s/collect.sh
#   → reports/<trial-id>/ (plan.json, manifest.json, raw/<run-id>/k6-<pod>.csv.gz, report.*)
#
# TRIAL_DIR=path names the trial folder (default reports/<time>-<plan name>-assembled). Exits with the
# verdict (0 keep, 1 drop, 4 inconclusive) like hotswap analyze. Set ANALYZE=0 to stop after assembling. Deleting the TestRuns afterwards is up to you:
#   kubectl -n hotswap delete testrun -l app.kubernetes.io/part-of=hotswap
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NS="${NAMESPACE:-hotswap}"
OUT="${OUT:-k6-out}"
PLAN="${PLAN:?set PLAN to the plan file the TestRuns follow (its first k6 phase, SLO, pass lines)}"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"
PLAN="$(realpath "$PLAN")"
# Into a fresh folder first: whatever nesting kubectl cp makes, the files end up flat in OUT.
pods="$OUT/.pods.$$"
kubectl -n "$NS" cp hotswap-collector:/data/out "$pods"
find "$pods" -type f -exec mv -f {} "$OUT"/ \;
rm -rf "$pods"
files=$(find "$OUT" -maxdepth 1 -name '*.csv.gz' | wc -l)
echo "collect: $files k6 output file(s) in $OUT" >&2
out_args=()
[ -z "${TRIAL_DIR:-}" ] || out_args=(--out "$(realpath -m "$TRIAL_DIR")")
dir="$(cd "$ROOT" && npx tsx deploy/k8s/assemble-trial.ts --plan "$PLAN" --from "$OUT" --k6-version "${K6_VERSION:-v2.2.0}" "${out_args[@]}")"
echo "collect: trial folder $dir" >&2
[ "${ANALYZE:-1}" = 1 ] || exit 0
# analyze exits with the verdict (0 keep, 1 drop, 4 inconclusive): render the report for all three,
# then exit with the verdict so a script or CI job can gate on it.
set +e
(cd "$ROOT" && npx hotswap analyze "$dir")
verdict=$?
set -e
case "$verdict" in
  0 | 1 | 4) (cd "$ROOT" && npx hotswap report "$dir") ;;
esac
exit "$verdict"
