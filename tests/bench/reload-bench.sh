#!/bin/bash
# Hot reload of a big supergraph under load (issue #28): the router as ./vestibule serve --hot-reload true runs it (a
# JVM of its own with router/jvm.options) on the project's generated supergraph (BigSupergraphs) whose first subgraph
# is a real GraphQL server; client threads send a mix of operations that subgraph answers (every answer checked)
# while the supergraph file is rewritten RELOADS times. Prints, per reload, the router's own figures (loading; the new
# router built and the operations in use planned on it before the swap), the requests that started during it, how
# many were not answered rightly, and their latency beside the latency outside reloads
# (router/src/test/.../supergraph/ReloadBench.java says how).
#
# Usage: tests/bench/reload-bench.sh
#   SUBGRAPHS=200 SHAPE=chain CLIENTS=4 RELOADS=3 WARMUP=20 (s) GAP=10 (s between reloads) OUT=/tmp/vestibule-reload-bench
# Needs: a JDK >= 21 (JAVA, or the one ./vestibule found), Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-/tmp/vestibule-reload-bench}"
mkdir -p "$OUT"
JAVA="${JAVA:-$(sed -n 2p "$ROOT/.vestibule/java" 2>/dev/null || echo java)}"

mvn -q -B -ntp -pl router -am test-compile -DskipTests >/dev/null
mvn -q -B -ntp -pl router dependency:build-classpath -Dmdep.outputFile="$PWD/router/target/test-classpath.txt" -Dmdep.includeScope=test >/dev/null
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA" -cp "router/target/test-classes:router/target/classes:$(cat router/target/test-classpath.txt)" \
  dev.vestibule.router.supergraph.ReloadBench --subgraphs "${SUBGRAPHS:-200}" --shape "${SHAPE:-chain}" \
  --clients "${CLIENTS:-4}" --reloads "${RELOADS:-3}" --warmup "${WARMUP:-20}" --gap "${GAP:-10}" \
  --java "$JAVA" --jvm-options "$ROOT/router/jvm.options" --out "$OUT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); router log: $OUT/router.log" >&2
