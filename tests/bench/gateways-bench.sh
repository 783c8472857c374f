#!/bin/bash
# The federation gateways benchmark (issue #6): Vestibule beside Apollo Gateway and Hive Gateway in one invocation of
# ../shared/bench/run-bench.sh (same query, schema, data and wrk load; each gateway pinned to one core), in both modes:
# default (inbound de-duplication on where a gateway has it, as the published benchmark runs) and UNIQUE_AUTH=1
# (a distinct Authorization header per request: no inbound de-duplication possible).
#
# Prints per gateway and mode: RPS, ratio to Hive Gateway and to Apollo Gateway, p50/p99, gateway CPU milliseconds per
# request (CPU seconds per 1,000 requests), peak RSS, seconds from start to the first answer, and how busy the gateway's
# process and the load core (wrk and the subgraphs) were in the measured window: a gateway below 100 % of its core with
# the load core at 100 % is held by the load, not by itself. Writes the table to $OUT/results.tsv and an SVG chart to
# $OUT/gateways.svg (tests/bench/chart.py).
#
# Usage: tests/bench/gateways-bench.sh [default|unique-auth|both]   (default: both)
#   DURATION=20 WARMUP=5 (s), GATEWAYS="apollo-gateway hive-gateway", OUT=/tmp/vestibule-gateways-bench,
#   BENCH_DIR=/tmp/vestibule-bench (a scratch copy of ../shared/bench with its node modules; made when missing),
#   VESTIBULE_JAVA_OPTS (JVM options for the router, as for ./vestibule serve); the JDK is the one ./vestibule uses
# Needs: node + npm, wrk (apt-get install -y wrk), taskset, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODE="${1:-both}"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
BENCH_DIR="${BENCH_DIR:-/tmp/vestibule-bench}"
OUT="${OUT:-/tmp/vestibule-gateways-bench}"
GATEWAYS="${GATEWAYS:-apollo-gateway hive-gateway}"
JAVA="java"
export DURATION="${DURATION:-20}" WARMUP="${WARMUP:-5}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ ! -d "$BENCH_DIR/node_modules" ]]; then
  mkdir -p "$BENCH_DIR" && cp -r "$SHARED_BENCH"/. "$BENCH_DIR"/
  # npm ci needs a lock file, which ../shared/bench does not always carry
  if [[ -f "$BENCH_DIR/package-lock.json" ]]; then (cd "$BENCH_DIR" && npm ci --no-audit --no-fund >/dev/null)
  else (cd "$BENCH_DIR" && npm install --no-audit --no-fund >/dev/null); fi
fi

# a snapshot of the router as ./vestibule serve runs it (jar, libraries, the AOT start-up cache of Java 25+), so that
# rebuilding during the run changes nothing; cp -p keeps the times the AOT cache checks the jars by
"$ROOT/vestibule" build >/dev/null
SNAP="$OUT/router"
rm -rf "$SNAP" && mkdir -p "$SNAP" && cp -rp "$ROOT/router/target/router.jar" "$ROOT/router/target/lib" "$SNAP/"
AOT=""
if [[ -f "$ROOT/.vestibule/router.aot" ]]; then cp -p "$ROOT/.vestibule/router.aot" "$SNAP/" && AOT="-XX:AOTCache=$SNAP/router.aot"; fi
JAVA="$(sed -n 2p "$ROOT/.vestibule/java" 2>/dev/null || echo "$JAVA")"
# the linked runtime ./vestibule serve runs the router on, when the build made one from that JDK
if [[ -x "$ROOT/.vestibule/runtime/bin/java" && "$(cat "$ROOT/.vestibule/runtime/made-from" 2>/dev/null)" == "$JAVA" ]]; then
  JAVA="$ROOT/.vestibule/runtime/bin/java"
fi
# and the JVM options it passes (router/jvm.options, a java argument file)
OPTIONS=""
if [[ -f "$ROOT/router/jvm.options" ]]; then cp "$ROOT/router/jvm.options" "$SNAP/" && OPTIONS="@$SNAP/jvm.options"; fi
# and, as for serve, its compiler directives
if [[ -f "$ROOT/router/compiler-directives.json" ]]; then
  cp "$ROOT/router/compiler-directives.json" "$SNAP/" && OPTIONS="$OPTIONS -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$SNAP/compiler-directives.json"
fi
# the published benchmark turns on request de-duplication in every gateway that has it
printf 'router:\n  deduplication:\n    inbound_queries: true\n' > "$OUT/vestibule.yaml"
VESTIBULE="vestibule=exec $JAVA $OPTIONS ${VESTIBULE_JAVA_OPTS:-} $AOT -jar $SNAP/router.jar serve --supergraph {SUPERGRAPH} --port {PORT} --config $OUT/vestibule.yaml"

# Every core's busy and total clock ticks (/proc/stat), twice a second while a mode runs, with the time: each gateway's
# measured window is cut from it afterwards (the window ends when its wrk output is written).
sample_cores() { # $1 = the samples file; runs until $1.on goes
  while [[ -e "$1.on" ]]; do
    printf '%s' "$(date +%s.%N)"
    awk '/^cpu[0-9]+ /{printf " %s:%d:%d", $1, $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat
    echo
    sleep 0.5
  done > "$1"
}

run() { # $1 = mode name, $2 = UNIQUE_AUTH value
  echo "== $1 ($(date -Is))" >&2
  mkdir -p "$OUT/$1" && touch "$OUT/$1/cores.tsv.on"
  sample_cores "$OUT/$1/cores.tsv" &
  local sampler=$!
  # shellcheck disable=SC2086
  UNIQUE_AUTH="$2" OUT="$OUT/$1" "$BENCH_DIR/run-bench.sh" $GATEWAYS "$VESTIBULE" | tee "$OUT/$1.log" | grep '^RESULT' \
    | sed "s/^RESULT /mode=$1 /"
  rm -f "$OUT/$1/cores.tsv.on"; wait "$sampler" 2>/dev/null || true
}
: > "$OUT/results.raw"
case "$MODE" in
  default) run default 0 >> "$OUT/results.raw" ;;
  unique-auth) run unique-auth 1 >> "$OUT/results.raw" ;;
  both) run default 0 >> "$OUT/results.raw"; run unique-auth 1 >> "$OUT/results.raw" ;;
  *) echo "mode: default, unique-auth or both" >&2; exit 2 ;;
esac

LOAD_CORE="cpu${LOAD_CPUS:-0}" python3 - "$OUT/results.raw" "$OUT/results.tsv" "$OUT" <<'PY'
import os, sys
rows = []
for line in open(sys.argv[1]):
    kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
    rows.append(kv)
def f(v):
    try: return float(v)
    except (TypeError, ValueError): return None
out = open(sys.argv[2], "w")
def load_core_pct(mode, name):
    """The load core's busy share in the gateway's measured window (DURATION seconds up to its wrk output), or None."""
    try:
        end = os.path.getmtime(os.path.join(sys.argv[3], mode, name + ".wrk.txt"))
        samples = []
        for line in open(os.path.join(sys.argv[3], mode, "cores.tsv")):
            t, *cores = line.split()
            ticks = dict((c.split(":")[0], (int(c.split(":")[1]), int(c.split(":")[2]))) for c in cores)
            samples.append((float(t), ticks[os.environ["LOAD_CORE"]]))
    except (OSError, KeyError, ValueError, IndexError):
        return None
    start = end - float(os.environ.get("DURATION", "20"))
    first = min(samples, key=lambda s: abs(s[0] - start), default=None)
    last = min(samples, key=lambda s: abs(s[0] - end), default=None)
    if first is None or last is None or last[1][1] <= first[1][1]:
        return None
    return 100 * (last[1][0] - first[1][0]) / (last[1][1] - first[1][1])
cols = ["mode", "gateway", "rps", "x_hive", "x_apollo", "p50_ms", "p99_ms", "cpu_ms_per_req", "peak_rss_mb", "ready_s", "valid",
        "foreign_cpu_pct", "gw_cpu_pct", "load_core_pct"]
out.write("\t".join(cols) + "\n")
print("| mode | gateway | RPS | x Hive GW | x Apollo GW | p50 ms | p99 ms | CPU ms / request (s / 1,000 requests) | peak RSS MB "
      "| ready s | valid | gateway CPU % of its core | load core busy % |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
for mode in dict.fromkeys(r["mode"] for r in rows):
    group = [r for r in rows if r["mode"] == mode]
    base = {r["name"]: f(r.get("rps")) for r in group}
    for r in group:
        rps = f(r.get("rps")) or 0
        cpu = f(r.get("gw_cpu_pct"))
        # gateway CPU per request: the core's busy share over the run divided by the requests answered per second
        cpu_ms = cpu / 100 / rps * 1000 if cpu is not None and rps else None
        ready = next((p[len("ready_"):-1] for p in r.get("note", "").split(",") if p.startswith("ready_")), "-")
        hive, apollo = base.get("hive-gateway"), base.get("apollo-gateway")
        vals = [mode, r["name"], f"{rps:.1f}", f"{rps / hive:.2f}" if hive else "-", f"{rps / apollo:.2f}" if apollo else "-",
                r.get("p50_ms", "-"), r.get("p99_ms", "-"), f"{cpu_ms:.2f}" if cpu_ms else "-", r.get("peak_rss_mb", "-"),
                ready, r.get("valid", "-"), r.get("foreign_cpu_pct", "-"), r.get("gw_cpu_pct", "-")]
        load = load_core_pct(mode, r["name"])
        vals.append(f"{load:.0f}" if load is not None else "-")
        out.write("\t".join(vals) + "\n")
        print("| " + " | ".join(vals[:11] + vals[12:]) + " |")
PY
python3 "$ROOT/tests/bench/chart.py" "$OUT/results.tsv" "$OUT/gateways.svg"
echo "table: $OUT/results.tsv  chart: $OUT/gateways.svg  logs: $OUT/<mode>/" >&2
