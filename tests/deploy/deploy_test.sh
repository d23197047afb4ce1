#!/usr/bin/env bash
# The `deploy` tests: deploy_test.sh CASE, with HOTLINE_SOURCE_DIR (the
# checkout) and DEPLOY_TEST_DIR (a folder in the build tree) set.
#
#   build-renderer      builds tools/chart_render with Debian's Go and sprig,
#                       offline (GOPATH mode), into DEPLOY_TEST_DIR
#   chart-default       renders helm/hotline (with sla's data files given as
#                       with helm --set-file), checks the manifest and lints it
#   chart-external-db   the same with values-external-db.yaml: no in-cluster
#                       PostgreSQL or Redis, the Secret holds the file's URIs
#   chart-rejects-*     the checks fail, naming the problem, on broken input
#   compose             compose.yaml's structure and mounts
#   envoy               envoy.yaml's routes and filters; envoy-rejects-*: on broken input
#   yamllint            yamllint with the checked-in .yamllint
set -euo pipefail

SRC=${HOTLINE_SOURCE_DIR:?set HOTLINE_SOURCE_DIR}
OUT=${DEPLOY_TEST_DIR:?set DEPLOY_TEST_DIR}
HERE="$SRC/tests/deploy"
RENDER="$OUT/chart_render"
# Debian's python3 has python3-yaml; a python3 first on PATH may not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
mkdir -p "$OUT"

render() {  # render OUTPUT [chart_render options]
  local out=$1; shift
  "$RENDER" "$@" "$SRC/helm/hotline" > "$out"
}

# expect_failure WHAT MESSAGE COMMAND...: passes only when COMMAND fails and
# says MESSAGE (so a crash or an unrelated complaint does not count).
expect_failure() {
  local what=$1 message=$2 output rc=0; shift 2
  output=$("$@" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then
    echo "FAIL: $what: the check passed; it should have refused this input"
    return 1
  fi
  if ! grep -qF -- "$message" <<<"$output"; then
    echo "FAIL: $what: the check failed (status $rc) but without saying: $message"
    echo "$output"
    return 1
  fi
  echo "ok: $what: refused with: $(grep -F -- "$message" <<<"$output" | head -n 1)"
}

sla_files=(--set-file "services.sla.dataFiles.policies.content=$SRC/deploy/sla/policies.csv"
           --set-file "services.sla.dataFiles.calendar.content=$SRC/deploy/sla/calendar-2026.csv")

case ${1:?case} in
  build-renderer)
    # Debian's Go packages live in /usr/share/gocode; GOPATH mode needs no module proxy.
    cd "$SRC/tools/chart_render"
    GO111MODULE=off GOPATH="/usr/share/gocode:$OUT/gopath" GOCACHE="$OUT/gocache" GOFLAGS= \
      GOPROXY=off go build -o "$RENDER" .
    [ -x "$RENDER" ] && echo "built $RENDER"
    ;;
  chart-default)
    render "$OUT/default.yaml" "${sla_files[@]}"
    "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/default.yaml"
    # The rendered YAML is clean too (stray spaces and the like from the templates).
    (cd "$SRC" && yamllint --strict -c .yamllint "$OUT/default.yaml")
    # sla reads the very files given with --set-file.
    "$PY" - "$OUT/default.yaml" "$SRC/deploy/sla" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")) if d]
files = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "hotline-sla-files")["data"]
for key, name in (("policies.csv", "policies.csv"), ("calendar.csv", "calendar-2026.csv")):
    if files.get(key) != open(f"{sys.argv[2]}/{name}", encoding="utf-8").read():
        sys.exit(f"FAIL: ConfigMap hotline-sla-files {key} differs from deploy/sla/{name}")
print("sla's data files arrive unchanged")
PY
    # The defaults without any data file given render and pass too.
    render "$OUT/plain.yaml"
    "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/plain.yaml"
    ;;
  chart-servicemonitor)
    render "$OUT/monitor.yaml" -f "$HERE/fixtures/values-servicemonitor.yaml"
    "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/monitor.yaml"
    [ "$(grep -c '^kind: ServiceMonitor$' "$OUT/monitor.yaml")" = 5 ] || { echo "FAIL: want 5 ServiceMonitors"; exit 1; }
    ;;
  chart-external-db)
    render "$OUT/external.yaml" -f "$SRC/helm/hotline/values-external-db.yaml" "${sla_files[@]}"
    "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/external.yaml" --external "$SRC/helm/hotline/values-external-db.yaml"
    # And the in-cluster check must see that these stores are not in the cluster.
    expect_failure "external stores taken for in-cluster ones" "is not a Service of the chart on port 5432" \
      "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/external.yaml"
    ;;
  chart-rejects-missing-deployment)
    render "$OUT/whole.yaml"
    "$PY" "$HERE/mutate.py" drop-deployment hotline-intake "$OUT/whole.yaml" "$OUT/no-intake.yaml"
    expect_failure "an HPA of a Deployment that is not there" \
      "HorizontalPodAutoscaler hotline-intake: scaleTargetRef Deployment hotline-intake is not a Deployment of the chart" \
      "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/no-intake.yaml"
    ;;
  chart-rejects-blocking-pdb)
    render "$OUT/pdb.yaml" -f "$HERE/fixtures/values-pdb-blocks-eviction.yaml"
    expect_failure "a disruption budget that allows no eviction" \
      "PodDisruptionBudget hotline-sla: minAvailable 1 with at least 1 replicas lets no pod be evicted" \
      "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/pdb.yaml"
    ;;
  chart-rejects-misspelt-setting)
    render "$OUT/misspelt.yaml" -f "$HERE/fixtures/values-misspelt-setting.yaml"
    expect_failure "a setting the service does not have" \
      "Deployment hotline-survey container survey: hotline-survey has no setting HOTLINE_QUESTIONS_FILE" \
      "$PY" "$HERE/manifest_check.py" "$SRC" "$OUT/misspelt.yaml"
    ;;
  chart-rejects-external-db-without-uri)
    expect_failure "an external PostgreSQL without a URI" \
      "postgresql.external.uri is required when postgresql.enabled is false" \
      render "$OUT/no-uri.yaml" -f "$HERE/fixtures/values-external-db-without-uri.yaml"
    ;;
  compose)
    "$PY" "$HERE/compose_check.py" "$SRC" "$SRC/deploy/docker/compose.yaml"
    ;;
  envoy)
    "$PY" "$HERE/envoy_check.py" "$SRC" "$SRC/deploy/envoy/envoy.yaml" "$SRC/deploy/docker/compose.yaml"
    ;;
  envoy-rejects-router-first)
    "$PY" "$HERE/mutate.py" router-first "$SRC/deploy/envoy/envoy.yaml" "$OUT/router-first.yaml"
    expect_failure "the router before grpc_web" "envoy.filters.http.grpc_web comes after envoy.filters.http.router" \
      "$PY" "$HERE/envoy_check.py" "$SRC" "$OUT/router-first.yaml" "$SRC/deploy/docker/compose.yaml"
    ;;
  envoy-rejects-unrouted-service)
    "$PY" "$HERE/mutate.py" unroute-survey "$SRC/deploy/envoy/envoy.yaml" "$OUT/unrouted.yaml"
    expect_failure "a public service without a route" "public service hotline.survey.v1.CallbackSurveys is not routed" \
      "$PY" "$HERE/envoy_check.py" "$SRC" "$OUT/unrouted.yaml" "$SRC/deploy/docker/compose.yaml"
    ;;
  yamllint)
    cd "$SRC"
    yamllint --strict -c .yamllint .yamllint helm/hotline/Chart.yaml helm/hotline/values.yaml \
      helm/hotline/values-external-db.yaml deploy/docker/compose.yaml deploy/envoy/envoy.yaml \
      tests/deploy/fixtures/
    echo "yamllint: clean"
    ;;
  *)
    echo "unknown case $1" >&2
    exit 2
    ;;
esac
