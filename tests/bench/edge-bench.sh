#!/bin/bash
# What authentication and rate limiting add per request (issue #5): JWT RS256/ES256 verification and a rate-limit
# check in memory and in Redis. Starts its own redis-server on a free port when one is installed.
# Usage: tests/bench/edge-bench.sh      (JAVA=<java 21+> to pick the JVM)
set -euo pipefail
cd "$(dirname "$0")/../.."
# one Maven run, so the reactor resolves the router and samples to their freshly compiled classes
mvn -q -B -ntp -pl tests -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
args=()
if command -v redis-server >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
  redis_pid=$!
  trap 'kill $redis_pid 2>/dev/null' EXIT
  sleep 0.5
  args=(--redis "redis://127.0.0.1:$port")
fi
"${JAVA:-java}" -cp "tests/target/test-classes:router/target/classes:$(cat tests/target/test-classpath.txt)" \
  dev.vestibule.tests.bench.EdgePolicyBenchmark "${args[@]}"
