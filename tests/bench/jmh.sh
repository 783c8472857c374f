#!/bin/bash
# The router's in-process JMH benchmarks (issue #6) on the gateways benchmark query, with canned subgraph answers:
# planCold (plan with no cache), planCached (document + plan cache lookups), pipeline (one whole request: body
# parsed, prepared, planned, executed, merged, shaped, serialized). Pinned to one core (taskset) when possible.
#
# Usage: tests/bench/jmh.sh [--check] [--save] [JMH options...]
#          --check  compare pipeline with the last recorded figure (docs/jmh-baseline.json) and print the ratio
#          --save   record this run's figures as the new baseline (commit docs/jmh-baseline.json with the change)
#        tests/bench/jmh.sh --record http://127.0.0.1:4200   re-record the canned answers from the bench subgraphs
#        JAVA=<java 21+>  JMH_CPU=1 (the core to pin to; empty: no pinning)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA:-java}"
CHECK=0; SAVE=0; RECORD=""; ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) CHECK=1 ;;
    --save) SAVE=1 ;;
    --record) RECORD="$2"; shift ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
# one Maven run, so the reactor resolves the router and samples to their freshly compiled classes
mvn -q -B -ntp -pl tests -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="tests/target/test-classes:router/target/classes:$(cat tests/target/test-classpath.txt)"
if [[ -n "$RECORD" ]]; then
  exec "$JAVA" -cp "$CP" dev.vestibule.tests.bench.CannedSubgraphs record "$RECORD"
fi
PIN=()
if [[ -n "${JMH_CPU-1}" ]] && command -v taskset >/dev/null && taskset -c "${JMH_CPU:-1}" true 2>/dev/null; then
  PIN=(taskset -c "${JMH_CPU:-1}")
fi
RESULT=tests/target/jmh-result.json
"${PIN[@]}" "$JAVA" -cp "$CP" org.openjdk.jmh.Main dev.vestibule.tests.bench.RouterBenchmarks \
  -jvm "$JAVA" -rf json -rff "$RESULT" "${ARGS[@]}"

python3 - "$RESULT" "$CHECK" "$SAVE" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- router || echo +changes)" <<'PY'
import json, sys, datetime, os
result, check, save, commit = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1", sys.argv[4]
scores = {r["benchmark"].rsplit(".", 1)[1]: (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]) for r in json.load(open(result))}
print("\nbenchmark     ops/s (one thread)")
for name, (score, err) in scores.items():
    print(f"{name:12s} {score:12.1f} ± {err:.1f}")
baseline = "docs/jmh-baseline.json"
if check:
    if not os.path.exists(baseline) or "pipeline" not in scores:
        print("no baseline to compare with (run with --save to record one)")
    else:
        last = json.load(open(baseline))
        ratio = scores["pipeline"][0] / last["pipeline"]
        print(f"\nregression check: pipeline {scores['pipeline'][0]:.1f} ops/s now, {last['pipeline']:.1f} recorded "
              f"({last['commit']}, {last['date']}): ratio {ratio:.2f}" + ("  <-- slower by more than 10 %" if ratio < 0.9 else ""))
if save:
    out = {name: round(score, 1) for name, (score, _) in scores.items()}
    out.update(commit=commit, date=datetime.date.today().isoformat(), java=os.popen(os.environ.get("JAVA", "java") + " -version 2>&1").readline().strip())
    json.dump(out, open(baseline, "w"), indent=2)
    print(f"saved as the new baseline in {baseline}")
PY
