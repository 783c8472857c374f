#!/bin/bash
# Big supergraphs (issue #28): time from process start to the first answer of { __typename } and peak RSS (VmHWM at
# that answer) of Vestibule, run as ./vestibule serve runs it (its jar, linked runtime, router/jvm.options, compiler
# directives and AOT start-up cache), beside Hive Gateway (npm @graphql-hive/gateway, its CLI, NODE_ENV=production, one
# process), on the supergraphs of the project's generator (router/src/test/.../composition/BigSupergraphs: n subgraphs,
# n * 23 + 2.5 n + 1 types) in both shapes: "chain" (the entities' references form one chain through all of them) and
# "cycle" (cycles of 5). Interleaved: per round, per size, per shape, one gateway right after the other. No subgraph
# needs to run: both gateways answer { __typename } themselves.
#
# Also the CPU time the start took (user + system of the gateway's processes at the first answer): on a shared machine
# wall times hold the waits for a core, CPU times much less so.
# Prints a markdown table (medians over the rounds) and writes every measurement to $OUT/results.tsv, logs to $OUT/logs.
# Rounds interleave: each round measures every size and shape, the gateways one right after the other, their order
# alternating by round.
#
# Usage: tests/bench/big-supergraph-bench.sh
#   SIZES="10 50 100 200 400" SHAPES="chain cycle" ROUNDS=1 GATEWAYS="vestibule hive" OUT=/tmp/vestibule-big-supergraph-bench
#   TIMEOUT=300 (s per start), VESTIBULE_JAVA_OPTS (JVM options after router/jvm.options, as for ./vestibule serve),
#   HIVE_VERSION=2.10.4 (the tests' pinned version; npm-installed once into ~/.cache/vestibule/hive-gateway-VERSION, as
#   the tests' NpmCache installs it, or -e VESTIBULE_CACHE=DIR)
# Needs: Maven, node + npm, curl, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SIZES="${SIZES:-10 50 100 200 400}"
SHAPES="${SHAPES:-chain cycle}"
ROUNDS="${ROUNDS:-1}"
GATEWAYS="${GATEWAYS:-vestibule hive}"
HIVE_VERSION="${HIVE_VERSION:-2.10.4}"
OUT="${OUT:-/tmp/vestibule-big-supergraph-bench}"
TIMEOUT="${TIMEOUT:-300}"
CACHE="${VESTIBULE_CACHE:-$HOME/.cache/vestibule}"
mkdir -p "$OUT/logs"
cd "$ROOT"

# a snapshot of the router as ./vestibule serve runs it (as tests/bench/gateways-bench.sh takes it)
"$ROOT/vestibule" build >/dev/null
SNAP="$OUT/router"
rm -rf "$SNAP" && mkdir -p "$SNAP" && cp -rp "$ROOT/router/target/router.jar" "$ROOT/router/target/lib" "$SNAP/"
AOT=""
if [[ -f "$ROOT/.vestibule/router.aot" ]]; then cp -p "$ROOT/.vestibule/router.aot" "$SNAP/" && AOT="-XX:AOTCache=$SNAP/router.aot"; fi
JAVA="$(sed -n 2p "$ROOT/.vestibule/java" 2>/dev/null || echo java)"
JDK="$JAVA" # the JDK ./vestibule found (Java 21+): the generator runs on it
if [[ -x "$ROOT/.vestibule/runtime/bin/java" && "$(cat "$ROOT/.vestibule/runtime/made-from" 2>/dev/null)" == "$JAVA" ]]; then
  JAVA="$ROOT/.vestibule/runtime/bin/java"
fi

# the supergraphs, from the project's generator, composed by Vestibule
mvn -q -B -ntp -pl router -am test-compile -DskipTests >/dev/null
mvn -q -B -ntp -pl router dependency:build-classpath -Dmdep.outputFile="$PWD/router/target/test-classpath.txt" -Dmdep.includeScope=test >/dev/null
for shape in $SHAPES; do
  # shellcheck disable=SC2086
  "$JDK" -Xmx4g -cp "router/target/test-classes:router/target/classes:$(cat router/target/test-classpath.txt)" \
    dev.vestibule.router.composition.BigSupergraphs "$OUT/supergraphs" "$shape" $SIZES >/dev/null
done

OPTIONS=""
if [[ -f "$ROOT/router/jvm.options" ]]; then cp "$ROOT/router/jvm.options" "$SNAP/" && OPTIONS="@$SNAP/jvm.options"; fi
if [[ -f "$ROOT/router/compiler-directives.json" ]]; then
  cp "$ROOT/router/compiler-directives.json" "$SNAP/" && OPTIONS="$OPTIONS -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$SNAP/compiler-directives.json"
fi

# Hive Gateway, installed as the tests' NpmCache installs it (a staging folder renamed into place)
HIVE_DIR="$CACHE/hive-gateway-$HIVE_VERSION"
if [[ " $GATEWAYS " == *" hive "* && ! -f "$HIVE_DIR/node_modules/@graphql-hive/gateway/package.json" ]]; then
  mkdir -p "$CACHE"
  staging="$(mktemp -d "$CACHE/staging-XXXXXX")"
  printf '{"name":"vestibule-hive-gateway-%s","private":true,"type":"module"}' "$HIVE_VERSION" > "$staging/package.json"
  (cd "$staging" && npm install --no-audit --no-fund --loglevel=error "@graphql-hive/gateway@$HIVE_VERSION" graphql@16.13.1 >&2)
  [[ -e "$HIVE_DIR" ]] || mv "$staging" "$HIVE_DIR"
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# the peak resident set of a process group: the sum of its processes' VmHWM, in MB
group_peak_mb() {
  local total=0 pid kb
  for pid in $(ps -o pid= -g "$1" 2>/dev/null); do
    kb=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$(( total + ${kb:-0} ))
  done
  echo $(( total / 1024 ))
}

# the CPU time (user + system, every thread; and that of waited-for children) of a process group so far, in seconds:
# on a shared machine what a start costs, where its wall time also holds the waits for a core
group_cpu_s() {
  local ticks=0 pid t
  for pid in $(ps -o pid= -g "$1" 2>/dev/null); do
    # fields after the command's closing parenthesis: utime, stime, cutime, cstime are the 12th to 15th
    t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}')
    ticks=$(( ticks + ${t:-0} ))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t / hz}'
}

# one start: $1 gateway, $2 supergraph file, $3 log; prints "seconds peak_mb cpu_s" or "- - -" when it never answered
measure() {
  local port t0 pid answered=""
  port="$(free_port)"
  t0="$(date +%s.%N)"
  case "$1" in
    # shellcheck disable=SC2086
    vestibule) setsid $JAVA $OPTIONS ${VESTIBULE_JAVA_OPTS:-} $AOT -jar "$SNAP/router.jar" serve --supergraph "$2" --port "$port" >"$3" 2>&1 & ;;
    hive) (cd "$HIVE_DIR" && NODE_ENV=production FORK=1 exec setsid node node_modules/.bin/hive-gateway supergraph "$2" \
            --host 127.0.0.1 --port "$port") >"$3" 2>&1 & ;;
  esac
  pid=$!
  # Vestibule binds its port before loading (a connection waits to be answered); Hive Gateway refuses until it listens
  while kill -0 "$pid" 2>/dev/null; do
    if curl -s --max-time "$TIMEOUT" -H 'content-type: application/json' -d '{"query":"{ __typename }"}' \
        "http://127.0.0.1:$port/graphql" 2>/dev/null | grep -q '"__typename":"Query"'; then
      answered="$(date +%s.%N)"; break
    fi
    awk -v a="$t0" -v b="$(date +%s.%N)" -v t="$TIMEOUT" 'BEGIN{exit !(b - a > t)}' && break
    sleep 0.02
  done
  if [[ -n "$answered" ]]; then
    echo "$(awk -v a="$t0" -v b="$answered" 'BEGIN{printf "%.2f", b - a}') $(group_peak_mb "$pid") $(group_cpu_s "$pid")"
  else
    echo "- - -"
  fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

printf 'round\tshape\tsubgraphs\ttypes\tgateway\tseconds\tpeak_rss_mb\tcpu_s\tload1\n' > "$OUT/results.tsv"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for round in $(seq 1 "$ROUNDS"); do
  # the gateways' order alternates by round: neither is always the one that starts right after the other
  order="$GATEWAYS"
  (( round % 2 == 0 )) && order="$(echo "$GATEWAYS" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for n in $SIZES; do
    for shape in $SHAPES; do
      for gateway in $order; do
        load="$(cut -d' ' -f1 /proc/loadavg)"
        result="$(measure "$gateway" "$OUT/supergraphs/$shape-$n.graphql" "$OUT/logs/$gateway-$shape-$n-r$round.log")"
        types=$(( n * 23 + n * 5 / 2 + 1 ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$shape" "$n" "$types" "$gateway" ${result} "$load" >> "$OUT/results.tsv"
        read -r seconds mb cpu <<<"$result"
        echo "round $round, $shape $n ($types types), $gateway: $seconds s, $mb MB, CPU $cpu s (load $load)" >&2
      done
    done
  done
done

python3 - "$OUT/results.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
def med(values):
    values = [float(v) for v in values if v != "-"]
    return statistics.median(values) if values else None
cells = {}
for r, shape, n, types, gw, s, mb, cpu, load in rows:
    cells.setdefault((shape, int(n), int(types)), {}).setdefault(gw, []).append((s, mb, cpu))
def fmt(entry):
    if not entry: return "-", None, None, None
    s, mb, cpu = med([e[0] for e in entry]), med([e[1] for e in entry]), med([e[2] for e in entry])
    return ("does not start" if s is None else f"{s:.2f} s, {mb:,.0f} MB, CPU {cpu:.2f} s"), s, mb, cpu
print("| shape | subgraphs (types) | Vestibule: time, peak RSS, CPU | Hive Gateway: time, peak RSS, CPU | Vestibule / Hive: time, RSS, CPU |")
print("| --- | --- | --- | --- | --- |")
for (shape, n, types), by in sorted(cells.items()):
    v, vs, vm, vc = fmt(by.get("vestibule"))
    h, hs, hm, hc = fmt(by.get("hive"))
    ratio = f"{vs / hs:.2f}, {vm / hm:.2f}, {vc / hc:.2f}" if None not in (vs, hs, vm, hm, vc, hc) and hs and hm and hc else "-"
    print(f"| {shape} | {n} ({types:,}) | {v} | {h} | {ratio} |")
PY
echo "measurements: $OUT/results.tsv  logs: $OUT/logs" >&2
