#!/bin/bash
# Plan quality and planning time (issue #23): the differential tester's generated operations planned by Vestibule's
# planner, by Apollo's query planner (@apollo/query-planner 2.14.1, Apollo Gateway's) and by Hive's Rust planner
# (@graphql-hive/router-query-planner 0.0.38, Hive Router's; both npm-installed into ~/.cache/vestibule on first use)
# in one run, one supergraph after another (dev.vestibule.tests.bench.PlanningBench says how each is timed):
#   - fetches per operation for the operation's variables, Vestibule against Apollo: fewer, same, more, and every
#     operation where Vestibule needs more (OUT/more-fetches.json);
#   - planning time per operation, cold (no plan cache, after an untimed warm-up on other operations), p50 and p99.
# Supergraphs: the sample graph (schemas/supergraph.graphql), the audit's 46 when --supergraphs DIR is given (the
# folder `run-audit.sh --serve-only --out X` writes as X/supergraphs, or a differential run's OUT/audit-server/supergraphs;
# nothing of the audit is in this repository), and a generated one of 200 subgraphs (the composition benchmark's
# generator, composed by Vestibule; --generated 0 leaves it out).
# Writes OUT/summary.md (the tables for docs/performance.md), OUT/summary.json, OUT/operations.jsonl, OUT/more-fetches.json.
#
# Usage: tests/bench/plan-bench.sh [--supergraphs DIR] [--operations FILE] [--count N] [--warmup N] [--seed N]
#                                  [--generated SUBGRAPHS] [--out DIR]
#   --count: operations per supergraph (100); --warmup: untimed operations per supergraph first (30)
#   --shrink N: shrink up to N operations per supergraph where Vestibule needs more fetches (2; 0: none)
#   --operations: a differential run's OUT/operations.jsonl: exactly its operations on the supergraphs it ran
#   (tests/differential/run.sh --target all writes DIR as OUT/audit-server/supergraphs)
# Needs: a JDK >= 21 (JAVA, or found like ./vestibule does), Maven, node + npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUT=""; SUPERGRAPHS=""; GENERATED=200; ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --supergraphs) SUPERGRAPHS="$2"; shift 2 ;;
    --generated) GENERATED="$2"; shift 2 ;;
    --count|--warmup|--seed|--operations|--shrink) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$ROOT/tests/target/plan-bench-$(date +%Y%m%d-%H%M%S)}"
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
CP="tests/target/test-classes:router/target/classes:subgraph-samples/target/classes:$(cat tests/target/test-classpath.txt)"
SUPERGRAPH_ARGS=(--supergraph "samples=$ROOT/schemas/supergraph.graphql")
[[ -n "$SUPERGRAPHS" ]] && SUPERGRAPH_ARGS+=(--supergraphs "$SUPERGRAPHS")
if (( GENERATED > 0 )); then
  # the composition benchmark's generator is in the router's test classes: 2.5 entities per subgraph, as there
  "$JAVA" -cp "router/target/test-classes:router/target/classes:$(cat router/target/test-classpath.txt)" \
    tests/bench/GeneratedSupergraph.java "$GENERATED" "$(( GENERATED * 5 / 2 ))" "$OUT/generated-$GENERATED.graphql"
  SUPERGRAPH_ARGS+=(--supergraph "generated-$GENERATED=$OUT/generated-$GENERATED.graphql")
fi
"$JAVA" -Xmx4g -cp "$CP" dev.vestibule.tests.bench.PlanningBench "${SUPERGRAPH_ARGS[@]}" --out "$OUT" "${ARGS[@]}"
