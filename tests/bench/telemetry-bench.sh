#!/bin/bash
# The cost of telemetry (issue #26): the router on the gateways benchmark's load (../shared/bench/run-bench.sh: same
# query, subgraphs and wrk load, the router pinned to one core) in three configurations, interleaved in one invocation
# (off, metrics+1 %, metrics+100 %, off, ...: REPEAT rounds), so that drift on a shared machine hits all three alike:
#   off      telemetry off (no telemetry: section)
#   m-t1     metrics on (operation-name labels too) + traces sampled at 1 % to a JSON-lines file
#   m-t100   metrics on + traces at 100 % to a JSON-lines file (the batch processor drops spans it cannot queue)
# Inbound de-duplication is on in all three, as in the gateways benchmark's default mode; UNIQUE_AUTH=1 turns it into
# the mode where every request runs on its own. Prints each run's RESULT line and, per configuration, the median RPS
# and its ratio to "off".
#
# JFR=1 also records each router with JFR (profile settings: allocation and CPU samples) and prints, per
# configuration, the bytes allocated per request, in all and in telemetry's code, the share of CPU samples in
# telemetry's code, and its top sites (tests/bench/TelemetryCostProfile.java). Allocation per request does not depend
# on what else runs on the machine; JFR's own overhead changes RPS, so compare RPS between runs of the same JFR mode.
# JFR_SETTINGS=<file.jfc> replaces the profile settings: the profile samples at most 300 allocations a second, too few
# for a cost of a few hundred bytes when the router serves only a few thousand requests in the window; e.g.
#   jfr configure --input profile jdk.ObjectAllocationSample#throttle=20000/s --output /tmp/alloc.jfc
#
# BEFORE=<dir> (a router snapshot an earlier run left in $OUT/router: router.jar, lib/, ...) adds that build's m-t1 and
# m-t100 to the same interleaved run as before-m-t1 and before-m-t100: a change's before and after on the same load.
#
# CONFIGS="off m t1 m-t1" adds metrics alone (m) and traces at 1 % alone (t1); a "noaot-" prefix runs a configuration
# without the AOT cache.
# CONFIGS="before-off off" (with BEFORE) chooses the configurations and their order: the A/B of the request path with
# telemetry off, an earlier build against this one (a build that predates telemetry runs only the off configuration).
#
# WARMUP is 60 s by default: on its one core the router's JIT compiles the request path for about 35 s after the
# first request (C2 compilations of 100-500 ms each, 20-25 % of the core from 10 to 30 s, recorded with JFR=1), so a
# window that starts 10 s in measures how fast telemetry's extra code is compiled (0.86 of off's RPS over 8 rounds)
# rather than what it costs once compiled; docs/performance.md, session 20, has both. WARMUP=10 measures that warm-up.
#
# Usage: tests/bench/telemetry-bench.sh   DURATION=20 WARMUP=60 REPEAT=2 UNIQUE_AUTH=0 JFR=0 BEFORE= OUT=/tmp/vestibule-telemetry-bench
# Needs: node + npm, wrk (apt-get install -y wrk), taskset, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
BENCH_DIR="${BENCH_DIR:-/tmp/vestibule-bench}"
OUT="${OUT:-/tmp/vestibule-telemetry-bench}"
export DURATION="${DURATION:-20}" WARMUP="${WARMUP:-60}" REPEAT="${REPEAT:-2}" UNIQUE_AUTH="${UNIQUE_AUTH:-0}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ ! -d "$BENCH_DIR/node_modules" ]]; then
  mkdir -p "$BENCH_DIR" && cp -r "$SHARED_BENCH"/. "$BENCH_DIR"/
  (cd "$BENCH_DIR" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; } >/dev/null)
fi

# the router as ./vestibule serve runs it, snapshot so that a rebuild during the run changes nothing
"$ROOT/vestibule" build >/dev/null
mkdir -p "$OUT"
SNAP="$OUT/router"
rm -rf "$SNAP" && mkdir -p "$SNAP" && cp -rp "$ROOT/router/target/router.jar" "$ROOT/router/target/lib" "$SNAP/"
AOT=""
if [[ -f "$ROOT/.vestibule/router.aot" ]]; then cp -p "$ROOT/.vestibule/router.aot" "$SNAP/" && AOT="-XX:AOTCache=$SNAP/router.aot"; fi
JAVA="$(sed -n 2p "$ROOT/.vestibule/java" 2>/dev/null || echo java)"
if [[ -x "$ROOT/.vestibule/runtime/bin/java" && "$(cat "$ROOT/.vestibule/runtime/made-from" 2>/dev/null)" == "$JAVA" ]]; then
  JAVA="$ROOT/.vestibule/runtime/bin/java"
fi
OPTIONS=""
if [[ -f "$ROOT/router/jvm.options" ]]; then cp "$ROOT/router/jvm.options" "$SNAP/" && OPTIONS="@$SNAP/jvm.options"; fi
if [[ -f "$ROOT/router/compiler-directives.json" ]]; then
  cp "$ROOT/router/compiler-directives.json" "$SNAP/" && OPTIONS="$OPTIONS -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$SNAP/compiler-directives.json"
fi

base='router:\n  deduplication:\n    inbound_queries: true\n'
printf "$base" > "$OUT/off.yaml"
printf "${base}telemetry:\n  metrics:\n    labels: { operation_name: true }\n  tracing:\n    sampling_ratio: 0.01\n    file: $OUT/spans-1.jsonl\n" > "$OUT/m-t1.yaml"
printf "${base}telemetry:\n  metrics:\n    labels: { operation_name: true }\n  tracing:\n    sampling_ratio: 1\n    file: $OUT/spans-100.jsonl\n" > "$OUT/m-t100.yaml"
# two halves of m-t1, to tell their costs apart (CONFIGS="off m t1 m-t1")
printf "${base}telemetry:\n  metrics:\n    labels: { operation_name: true }\n" > "$OUT/m.yaml"
printf "${base}telemetry:\n  tracing:\n    sampling_ratio: 0.01\n    file: $OUT/spans-t1.jsonl\n" > "$OUT/t1.yaml"
specs=()
rm -rf "$OUT/jfr"
names=(off m-t1 m-t100)
if [[ -n "${BEFORE:-}" ]]; then names=(off before-m-t1 m-t1 before-m-t100 m-t100); fi
if [[ -n "${CONFIGS:-}" ]]; then read -ra names <<<"$CONFIGS"; fi
for name in "${names[@]}"; do
  JFR_OPTS=""
  if [[ "${JFR:-0}" == 1 ]]; then mkdir -p "$OUT/jfr" && JFR_OPTS="-XX:StartFlightRecording=settings=${JFR_SETTINGS:-profile},filename=$OUT/jfr/$name-%p.jfr"; fi
  jar="$SNAP/router.jar" aot="$AOT" config="${name#before-}"
  # noaot-<configuration>: the same without the AOT cache (its method profiles come from a training run without telemetry)
  if [[ "$name" == noaot-* ]]; then aot="" config="${name#noaot-}"; fi
  if [[ "$name" == before-* ]]; then
    jar="$BEFORE/router.jar" aot=""
    if [[ -f "$BEFORE/router.aot" ]]; then aot="-XX:AOTCache=$BEFORE/router.aot"; fi
  fi
  specs+=("$name=exec $JAVA $OPTIONS ${VESTIBULE_JAVA_OPTS:-} $JFR_OPTS $aot -jar $jar serve --supergraph {SUPERGRAPH} --port {PORT} --config $OUT/$config.yaml")
done
OUT="$OUT/runs" "$BENCH_DIR/run-bench.sh" "${specs[@]}" | tee "$OUT/bench.log" | grep '^RESULT' > "$OUT/results.raw" || true
cat "$OUT/results.raw"
python3 - "$OUT/results.raw" <<'PY'
import statistics, sys
rows = [dict(p.split("=", 1) for p in line.split() if "=" in p) for line in open(sys.argv[1])]
by = {}
for r in rows:
    rps, cpu = float(r.get("rps", 0)), float(r.get("gw_cpu_pct", 0) or 0)
    # CPU milliseconds of the router's core per request: less noisy than RPS when the load side is what varies
    by.setdefault(r["name"].split("#")[0], []).append((rps, cpu / 100 / rps * 1000 if rps else 0))
off = by.get("off")
off_rps = statistics.median(v[0] for v in off) if off else None
off_cpu = statistics.median(v[1] for v in off) if off else None
print("| configuration | runs (RPS) | median RPS | RPS ratio to off | median CPU ms / request | CPU ratio to off |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for name, values in by.items():
    rps = statistics.median(v[0] for v in values)
    cpu = statistics.median(v[1] for v in values)
    print(f"| {name} | {', '.join(f'{v[0]:.0f}' for v in values)} | {rps:.0f} | {rps / off_rps:.3f} | {cpu:.3f} | {cpu / off_cpu:.3f} |")
PY
if [[ "${JFR:-0}" == 1 ]]; then "${JAVA_HOME:+$JAVA_HOME/bin/}java" "$ROOT/tests/bench/TelemetryCostProfile.java" "$OUT/jfr" "$OUT/runs" "$DURATION"; fi
