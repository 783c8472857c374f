#!/bin/bash
# What TLS costs per request at the router's listener (issue #27): a new cleartext connection, a new TLS 1.3
# connection (full handshake), kept connections over cleartext and TLS, h2 over TLS; one interleaved run.
# Usage: tests/bench/tls-bench.sh [ROUNDS [REQUESTS_PER_ROUND]]      (JAVA=<java 21+> to pick the JVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -ntp -pl tests -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
"${JAVA:-java}" -cp "tests/target/test-classes:router/target/classes:$(cat tests/target/test-classpath.txt)" \
  dev.vestibule.tests.bench.TlsBenchmark "$@"
