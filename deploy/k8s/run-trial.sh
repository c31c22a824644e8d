#!/usr/bin/env bash
# Runs a distributed trial on a cluster with the k6-operator: REPETITIONS rounds of baseline then
# candidate (ABAB…), one TestRun at a time so the arms never share the cluster's capacity, each split
# over PARALLELISM k6 pods. Around each run it scrapes the arm's /metrics from the collector pod, so the
# report gets CPU, memory and GC per request. Everything lands in OUT (a local folder); collect.sh then
# copies the pods' CSVs next to it and assembles the trial folder.
#
# Usage: REPETITIONS=5 PARALLELISM=2 OUT=k6-out deploy/k8s/run-trial.sh
# Needs: kubectl, `kubectl apply -k deploy/k8s` done, the corpus copied in (see README).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS="${NAMESPACE:-hotswap}"
REPETITIONS="${REPETITIONS:-5}"
PARALLELISM="${PARALLELISM:-2}"
OUT="${OUT:-k6-out}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-1800}"
METRICS_baseline="${METRICS_BASELINE:-http://hotswap-baseline.$NS.svc:8080/metrics}"
METRICS_candidate="${METRICS_CANDIDATE:-http://hotswap-rust.$NS.svc:8080/metrics}"
mkdir -p "$OUT"

scrape() { # scrape ARM FILE: the arm's /metrics through the collector pod (busybox wget)
  local url_var="METRICS_$1"
  kubectl -n "$NS" exec hotswap-collector -- wget -q -O - "${!url_var}" >"$2" \
    || { echo "run-trial: could not scrape ${!url_var}; the run keeps going without resource figures" >&2; rm -f "$2"; }
}

wait_finished() { # wait_finished NAME: until the operator reports stage finished (or error)
  local name="$1" waited=0 stage=""
  while [ "$waited" -lt "$TIMEOUT_SECONDS" ]; do
    stage="$(kubectl -n "$NS" get testrun "$name" -o jsonpath='{.status.stage}' 2>/dev/null || true)"
    case "$stage" in
      finished) return 0 ;;
      error) echo "run-trial: TestRun $name ended in stage error (kubectl -n $NS describe testrun $name)" >&2; return 3 ;;
    esac
    sleep 5
    waited=$((waited + 5))
  done
  echo "run-trial: TestRun $name not finished after ${TIMEOUT_SECONDS}s (last stage: ${stage:-none})" >&2
  return 3
}

for rep in $(seq 1 "$REPETITIONS"); do
  for arm in baseline candidate; do
    name="hotswap-$arm-r$rep"
    echo "run-trial: repetition $rep/$REPETITIONS, $arm ($name, $PARALLELISM pods)" >&2
    scrape "$arm" "$OUT/$name.before.prom"
    sed -e "s/^  name: hotswap-$arm\$/  name: $name/" -e "s/^  parallelism: .*/  parallelism: $PARALLELISM/" \
      "$HERE/testrun-$arm.yaml" | kubectl -n "$NS" apply -f - >/dev/null
    wait_finished "$name"
    scrape "$arm" "$OUT/$name.after.prom"
  done
done
echo "run-trial: done; next: deploy/k8s/collect.sh (OUT=$OUT)" >&2
