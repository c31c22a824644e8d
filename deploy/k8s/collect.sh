#!/usr/bin/env bash
# Copies every k6 pod's raw CSV (and summary) from the data volume into OUT, next to run-trial.sh's
# scrapes, then assembles them into a trial folder and analyses it:
#
#   PLAN=plans/k8s.yaml OUT=k6-out deploy/k8s/collect.sh
#   → reports/<trial-id>/ (plan.json, manifest.json, raw/<run-id>/k6-<pod>.csv.gz, report.*)
#
# Set ANALYZE=0 to stop after assembling. Deleting the TestRuns afterwards is up to you:
#   kubectl -n hotswap delete testrun -l app.kubernetes.io/part-of=hotswap
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NS="${NAMESPACE:-hotswap}"
OUT="${OUT:-k6-out}"
PLAN="${PLAN:?set PLAN to the plan file the TestRuns follow (its first k6 phase, SLO, pass lines)}"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"
PLAN="$(realpath "$PLAN")"
kubectl -n "$NS" cp hotswap-collector:/data/out "$OUT"
files=$(find "$OUT" -maxdepth 1 -name '*.csv.gz' | wc -l)
echo "collect: $files k6 output file(s) in $OUT" >&2
dir="$(cd "$ROOT" && npx tsx deploy/k8s/assemble-trial.ts --plan "$PLAN" --from "$OUT" --k6-version "${K6_VERSION:-v2.2.0}")"
if [ "${ANALYZE:-1}" = 1 ]; then
  (cd "$ROOT" && npx hotswap analyze "$dir" && npx hotswap report "$dir") || exit $?
fi
echo "collect: trial folder $dir" >&2
