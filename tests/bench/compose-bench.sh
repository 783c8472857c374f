#!/bin/bash
# The composition benchmark (issue #3): Vestibule's Composer and @apollo/composition on the same generated graph of
# 200 subgraphs and ~5,000 types, in one run. Needs Node and npm (Apollo's package is installed into ~/.cache/vestibule).
# Usage: tests/bench/compose-bench.sh [WARM_RUNS]      (JAVA=<java 21+> to pick the JVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -ntp -pl router -am test-compile -DskipTests >/dev/null
mvn -q -B -ntp -pl router dependency:build-classpath -Dmdep.outputFile="$PWD/router/target/test-classpath.txt" -Dmdep.includeScope=test >/dev/null
"${JAVA:-java}" -Xmx4g -cp "router/target/test-classes:router/target/classes:$(cat router/target/test-classpath.txt)" \
  dev.vestibule.router.composition.CompositionBenchmark "${1:-5}"
