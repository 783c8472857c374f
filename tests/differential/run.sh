#!/bin/bash
# The differential tester (issue #23): generated operations sent to Vestibule and to the reference gateways (Apollo
# Gateway, Hive Gateway; npm-installed into ~/.cache/vestibule on first use), answers compared. Writes OUT/summary.txt,
# OUT/summary.json, OUT/differences/*.json (operation, variables, the three answers, the shrunk operation),
# OUT/references-disagree/*.json and OUT/reference-no-answer/*.json (a reference's process died, hung or threw: it is
# started again with its supergraphs and the run goes on; such an operation is neither agreement nor difference). The
# summary is rewritten after each supergraph, so a run stopped half-way leaves its figures.
#
# Usage: tests/differential/run.sh [--target samples|audit|all] [--seed N] [--count N] [--references apollo,hive]
#                                  [--suites a,b] [--mutations] [--fail-subgraphs] [--shrink-checks N] [--out DIR]
#                                  [--latency-repeats N [--latency-warmup N]]
#   samples: the project's sample graph (schemas/supergraph.graphql), its subgraphs started in the tester's JVM
#   audit:   the federation-gateway-audit's supergraphs and subgraphs, served by a scratch copy of ../shared/audit
#            (AUDIT_DIR, default /tmp/audit, set up with its setup.sh; see docs/conformance.md); AUDIT_PORT (47200)
#   all:     both in one run, the sample graph first (--count is spread evenly over the 47 supergraphs)
# --fail-subgraphs: fault injection: each supergraph once per subgraph, that one answering every request HTTP 500 with a
#   GraphQL error (--count spread over these targets); answers compare as usual, and an answer of Vestibule without
#   errors though it asked the failing subgraph is a difference of its own, whatever the references answer.
# --latency-repeats N: after each supergraph's comparison pass, every operation is timed N times per gateway, the
#   gateways interleaved in rotating order after --latency-warmup rounds (default 1); the summary counts the
#   operations whose median on Vestibule is above the slower reference's median (OUT/latency-slower.txt lists them,
#   OUT/latency.jsonl has every median), beside the load average; an operation first above it is timed again alone in
#   21 rounds, whose medians count (the summary says how many were). Without it only the comparison's single timing.
# Needs: a JDK >= 21 (JAVA, or found like ./vestibule does), Maven, node + npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
TARGET=samples; OUT=""; ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target) TARGET="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --mutations|--fail-subgraphs) ARGS+=("$1"); shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d'; exit 0 ;;
    *) ARGS+=("$1" "$2"); shift 2 ;;
  esac
done
OUT="${OUT:-$ROOT/tests/target/differential-$TARGET-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1; }
if [[ -z "${JAVA:-}" ]]; then
  for c in "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    if [[ -x "$c" ]] && (( $(java_major "$c" || echo 0) >= 21 )); then JAVA="$c"; break; fi
  done
fi
[[ -n "${JAVA:-}" ]] || { echo "no JDK >= 21 found: set JAVA" >&2; exit 1; }

mvn -q -B -ntp -pl tests -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
# a copy of the compiled classes keeps the run independent of rebuilds during it
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
for m in tests/target/test-classes router/target/classes subgraph-samples/target/classes; do cp -r "$m" "$OUT/classes/${m%%/*}"; done
CP="$OUT/classes/tests:$OUT/classes/router:$OUT/classes/subgraph-samples:$(cat tests/target/test-classpath.txt)"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- router || echo +changes)"

SERVER_PID=""
cleanup() { if [[ -n "$SERVER_PID" ]]; then kill -- "-$SERVER_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [[ "$TARGET" == audit || "$TARGET" == all ]]; then
  AUDIT_DIR="${AUDIT_DIR:-/tmp/audit}"
  [[ -x "$AUDIT_DIR/run-audit.sh" ]] || { echo "no audit harness in $AUDIT_DIR (a scratch copy of ../shared/audit after its setup.sh): set AUDIT_DIR" >&2; exit 1; }
  # the audit's subgraphs, in their own process group so that exactly they are stopped at the end
  setsid "$AUDIT_DIR/run-audit.sh" --serve-only --audit-port "${AUDIT_PORT:-47200}" --out "$OUT/audit-server" > "$OUT/audit-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    grep -q "audit server on" "$OUT/audit-server.log" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/audit-server.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q "audit server on" "$OUT/audit-server.log" || { echo "the audit server did not start: $OUT/audit-server.log" >&2; exit 1; }
  ARGS+=(--supergraphs "$OUT/audit-server/supergraphs")
fi
"$JAVA" -cp "$CP" dev.vestibule.tests.differential.DifferentialMain --target "$TARGET" --out "$OUT" --commit "$COMMIT" "${ARGS[@]}"
