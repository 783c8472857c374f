#!/bin/bash
# How many mutated subgraph sets does Vestibule compose that Apollo rejects (and the reverse)? Generates sets from the
# composition corpus (fixed seed) and composes each with Vestibule and @apollo/composition (installed into ~/.cache/vestibule).
# Usage: tests/bench/compose-survey.sh [SETS_PER_CASE] [SEED] [--show CODE]      (JAVA=<java 21+> to pick the JVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -ntp -pl router -am test-compile -DskipTests >/dev/null
mvn -q -B -ntp -pl router dependency:build-classpath -Dmdep.outputFile="$PWD/router/target/test-classpath.txt" -Dmdep.includeScope=test >/dev/null
"${JAVA:-java}" -Xmx2g -cp "router/target/test-classes:router/target/classes:$(cat router/target/test-classpath.txt)" \
  dev.vestibule.router.composition.CompositionSurvey "$@"
