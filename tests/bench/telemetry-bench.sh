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
# Usage: tests/bench/telemetry-bench.sh   DURATION=15 WARMUP=5 REPEAT=2 UNIQUE_AUTH=0 OUT=/tmp/vestibule-telemetry-bench
# Needs: node + npm, wrk (apt-get install -y wrk), taskset, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
BENCH_DIR="${BENCH_DIR:-/tmp/vestibule-bench}"
OUT="${OUT:-/tmp/vestibule-telemetry-bench}"
export DURATION="${DURATION:-15}" WARMUP="${WARMUP:-5}" REPEAT="${REPEAT:-2}" UNIQUE_AUTH="${UNIQUE_AUTH:-0}"

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
specs=()
for name in off m-t1 m-t100; do
  specs+=("$name=exec $JAVA $OPTIONS ${VESTIBULE_JAVA_OPTS:-} $AOT -jar $SNAP/router.jar serve --supergraph {SUPERGRAPH} --port {PORT} --config $OUT/$name.yaml")
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
