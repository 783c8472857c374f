#!/bin/bash
# The composition fuzzer outside CI (issue 24): COUNT inputs, half random edits of the corpus, half generated deep and
# cyclic shapes (edited or not), each composed within BOUND_SECONDS on a thread of its own; prints the figures and
# exits 1 on a crash or a hang (each failing input is written to router/target/fuzz-failure-SEED-N.graphql).
# Usage: tests/bench/compose-fuzz.sh [COUNT] [SEED] [BOUND_SECONDS] [EVERY: one input in EVERY generated, default 2]      (JAVA=<java 21+> to pick the JVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -ntp -pl router -am test-compile -DskipTests >/dev/null
mvn -q -B -ntp -pl router dependency:build-classpath -Dmdep.outputFile="$PWD/router/target/test-classpath.txt" -Dmdep.includeScope=test >/dev/null
cd router
"${JAVA:-java}" -Xmx2g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.vestibule.router.composition.CompositionFuzzer "${1:-10000}" "${2:-24}" "${3:-20}" src/test/resources/composition/cases "${4:-2}"
