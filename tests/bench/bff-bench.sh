#!/bin/bash
# What a BFF route costs and saves (issue #25), on the sample subgraphs, in one invocation:
#   - bytes of GET /mobile/v1/home?first=4 against the raw GraphQL answer of the same operation (same token);
#   - round trips: the BFF's one request per screen against a client that fetches each screen section itself
#     (mobile home: user, product cards, thumbnails; web dashboard: user with own reviews, best sellers, newest
#     reviews, featured media), with their bytes;
#   - load, interleaved (bff, graphql, standalone, bff, ...: REPEAT rounds, so that drift on a shared machine hits all
#     alike), wrk with CONNECTIONS connections for DURATION s each:
#       bff         GET /mobile/v1/home?first=4 on the router (the module in process)
#       graphql     POST /graphql: the same persisted operation (Home, its manifest id, apollographql-client-name: mobile)
#       standalone  GET /mobile/v1/home?first=4 on a standalone BFF (./vestibule bff mobile) in front of the same router
#     per run: RPS, wrk's p50/p99 latency, and CPU milliseconds per request of the router process (and, for
#     standalone, of the BFF process and of both), read from /proc before and after the run.
# Prints a RESULT line per run and a table of medians with ratios to graphql.
#
# ROUTES="bff graphql" chooses the loads and their order (default: all three). Besides the medians, the table gives the
# median of each round's CPU ratio to graphql: rounds next to each other share the machine's drift.
#
# Usage: tests/bench/bff-bench.sh     DURATION=10 WARMUP=5 REPEAT=3 CONNECTIONS=8 ROUTES="bff graphql standalone" OUT=/tmp/vestibule-bff-bench
# Needs: wrk (apt-get install -y wrk), curl, python3; builds with ./vestibule build when the jars are stale.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${OUT:-/tmp/vestibule-bff-bench}"
DURATION="${DURATION:-10}" WARMUP="${WARMUP:-5}" REPEAT="${REPEAT:-3}" CONNECTIONS="${CONNECTIONS:-8}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_block() { # five consecutive free ports for the samples
  python3 - <<'PY'
import random, socket
for _ in range(200):
    base = random.randint(20000, 40000)
    held = []
    try:
        for i in range(5):
            s = socket.socket(); s.bind(("127.0.0.1", base + i)); held.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in held: s.close()
PY
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)

# the jars as ./vestibule runs them (built by its first command below when they are missing or stale)
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

TOKEN=$(VESTIBULE_JAVA_OPTS= "$ROOT/vestibule" token --key "$OUT/key.json" --jwks-out "$OUT/jwks.json" --ttl 2h 2>/dev/null)
BASE=$(free_block)
java_bin="$(sed -n 2p "$ROOT/.vestibule/java")"
"$java_bin" -jar "$ROOT/subgraph-samples/target/subgraph-samples.jar" all --base-port "$BASE" >"$OUT/samples.log" 2>&1 &
PIDS+=($!)
rewrite=()
for i in 0 1 2 3 4; do rewrite+=(-e "s|http://127.0.0.1:$((4001 + i))/graphql|http://127.0.0.1:$((BASE + i))/graphql|"); done
sed "${rewrite[@]}" "$ROOT/schemas/supergraph.graphql" >"$OUT/supergraph.graphql"
cat >"$OUT/router.yaml" <<YAML
authentication:
  mode: optional
  jwt:
    issuers:
      - issuer: https://demo.vestibule.dev
        jwks_file: jwks.json
        audiences: [vestibule]
  forward_claims:
    sub: x-user-id
persisted_queries:
  clients:
    mobile: classpath
    web: classpath
YAML
# the standalone BFF's own edge: the same authentication, no safelists (those are the router's)
sed '/^persisted_queries:/,$d' "$OUT/router.yaml" >"$OUT/bff.yaml"
ROUTER_PORT=$(free_port); BFF_PORT=$(free_port)
"$ROOT/vestibule" serve --bff bff-mobile,bff-web --supergraph "$OUT/supergraph.graphql" --port "$ROUTER_PORT" --config "$OUT/router.yaml" >"$OUT/router.log" 2>&1 &
ROUTER_PID=$!; PIDS+=($ROUTER_PID)
"$ROOT/vestibule" bff mobile --router "http://127.0.0.1:$ROUTER_PORT" --port "$BFF_PORT" --config "$OUT/bff.yaml" >"$OUT/bff.log" 2>&1 &
BFF_PID=$!; PIDS+=($BFF_PID)
for i in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$((BASE + 4))/health" && curl -sf -o /dev/null "http://127.0.0.1:$BFF_PORT/health" \
    && grep -q "listening on" "$OUT/router.log" && break
  sleep 0.2
done
curl -sf -o /dev/null "http://127.0.0.1:$BFF_PORT/health" || { tail -5 "$OUT/bff.log" "$OUT/router.log" >&2; echo "the BFF or the router did not start" >&2; exit 1; }
R="http://127.0.0.1:$ROUTER_PORT"; S="http://127.0.0.1:$BFF_PORT"; AUTH="authorization: Bearer $TOKEN"
HOME_ID=$(python3 -c 'import json,sys; print(next(o["id"] for o in json.load(open(sys.argv[1]))["operations"] if o["name"]=="Home"))' \
  "$ROOT/bff-mobile/target/classes/META-INF/vestibule/bff/mobile/persisted-operations.json")
PERSISTED="{\"operationName\":\"Home\",\"variables\":{\"first\":4},\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"$HOME_ID\"}}}"
gql() { curl -s -o /dev/null -w '%{size_download} %{http_code}\n' "$R/graphql" -H 'content-type: application/json' -H "$AUTH" -d "$1"; }

echo "== bytes and round trips"
bff_home=$(curl -s -o /dev/null -w '%{size_download} %{http_code}' "$R/mobile/v1/home?first=4" -H "$AUTH")
raw_home=$(curl -s -o /dev/null -w '%{size_download} %{http_code}' "$R/graphql" -H 'content-type: application/json' -H "$AUTH" -H 'apollographql-client-name: mobile' -d "$PERSISTED")
echo "mobile home: BFF ${bff_home% *} bytes (HTTP ${bff_home#* }), the same operation's GraphQL answer ${raw_home% *} bytes (HTTP ${raw_home#* })"
sections=$( { gql '{"query":"{ me { username } }"}'
  gql '{"query":"{ topProducts(first: 4) { upc name price inStock } }"}'
  gql '{"query":"{ topProducts(first: 4) { upc coverImage { url } } }"}'; } | awk '{n++; b+=$1} END {print n, b}')
echo "mobile home by sections: ${sections% *} round trips, ${sections#* } bytes; the BFF: 1 round trip, ${bff_home% *} bytes"
curl -s -o /dev/null -c "$OUT/cookies" "$R/web/login" -H "$AUTH" -H 'content-type: application/json' -d '{}'
bff_board=$(curl -s -o /dev/null -b "$OUT/cookies" -w '%{size_download} %{http_code}' "$R/web/dashboard")
board_sections=$( { gql '{"query":"{ me { id username email name { first last } role reviews(first: 5) { id rating title product { upc name } } } }"}'
  gql '{"query":"{ topProducts(first: 10) { upc name price inStock coverImage { url altText } reviewCount averageRating salesCount } }"}'
  gql '{"query":"{ latestReviews(first: 5) { totalCount edges { node { id rating title createdAt author { username } product { upc name } } } } }"}'
  gql '{"query":"{ featuredMedia(first: 6) { __typename id title url ... on Image { width height altText } ... on Video { durationSeconds thumbnail { url } } } }"}'; } \
  | awk '{n++; b+=$1} END {print n, b}')
echo "web dashboard by sections: ${board_sections% *} round trips, ${board_sections#* } bytes; the BFF: 1 round trip, ${bff_board% *} bytes (HTTP ${bff_board#* })"

cat >"$OUT/graphql.lua" <<LUA
wrk.method = "POST"
wrk.body = '$PERSISTED'
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $TOKEN"
wrk.headers["apollographql-client-name"] = "mobile"
LUA
cat >"$OUT/get.lua" <<LUA
wrk.headers["authorization"] = "Bearer $TOKEN"
LUA
load() { # name url script seconds -> RESULT line
  local name="$1" url="$2" script="$3" seconds="$4" r0 b0 r1 b1 out
  r0=$(cpu_ticks "$ROUTER_PID"); b0=$(cpu_ticks "$BFF_PID")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$script" "$url")
  r1=$(cpu_ticks "$ROUTER_PID"); b1=$(cpu_ticks "$BFF_PID")
  python3 - "$name" "$((r1 - r0))" "$((b1 - b0))" "$TICKS" <<PY
import re, sys
name, router, bff, ticks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out = """$out"""
total = int(re.search(r"(\d+) requests in", out).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
secs = float(re.search(r"requests in ([\d.]+)s", out).group(1))
def lat(p):
    m = re.search(r"%s%%\s+([\d.]+)(us|ms|s|m)\b" % p, out)
    if not m: return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]
ms = lambda t: t * 1000 / ticks / total
print(f"RESULT name={name} requests={total} errors={non2xx.group(1) if non2xx else 0} rps={total / secs:.0f} p50_ms={lat(50):.2f} "
      f"p99_ms={lat(99):.2f} router_cpu_ms={ms(router):.4f} bff_cpu_ms={ms(bff):.4f} total_cpu_ms={ms(router + bff):.4f}")
PY
}
ROUTES="${ROUTES:-bff graphql standalone}"
specs=()
for route in $ROUTES; do
  case "$route" in
    bff) specs+=("bff|$R/mobile/v1/home?first=4|$OUT/get.lua") ;;
    graphql) specs+=("graphql|$R/graphql|$OUT/graphql.lua") ;;
    standalone) specs+=("standalone|$S/mobile/v1/home?first=4|$OUT/get.lua") ;;
    *) echo "unknown route in ROUTES: $route (bff, graphql, standalone)" >&2; exit 2 ;;
  esac
done
echo "== load: warm-up"
for spec in "${specs[@]}"; do
  IFS='|' read -r name url script <<<"$spec"; load "$name-warmup" "$url" "$script" "$WARMUP" >/dev/null
done
echo "== load: $REPEAT interleaved rounds of ${DURATION}s, $CONNECTIONS connections"
: >"$OUT/results.raw"
for round in $(seq 1 "$REPEAT"); do
  for spec in "${specs[@]}"; do
    IFS='|' read -r name url script <<<"$spec"
    load "$name" "$url" "$script" "$DURATION" | tee -a "$OUT/results.raw"
  done
done
python3 - "$OUT/results.raw" <<'PY'
import statistics, sys
rows = [dict(p.split("=", 1) for p in line.split()[1:]) for line in open(sys.argv[1]) if line.startswith("RESULT")]
by = {}
for r in rows: by.setdefault(r["name"], []).append(r)
med = lambda name, key: statistics.median(float(r[key]) for r in by[name])
g = {k: med("graphql", k) for k in ("rps", "p50_ms", "p99_ms", "router_cpu_ms")}
# each round's ratio to the graphql load of the same round
rounds = lambda name: [float(r["total_cpu_ms"]) / float(q["router_cpu_ms"]) for r, q in zip(by[name], by["graphql"])]
print("| route | runs (RPS) | median RPS | p50 ms | p99 ms | router CPU ms/request | BFF process CPU ms/request | CPU ms/request, both | CPU ratio to graphql | per-round CPU ratios (median) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for name in ("graphql", "bff", "standalone"):
    if name not in by: continue
    total = med(name, "total_cpu_ms")
    print(f"| {name} | {', '.join(r['rps'] for r in by[name])} | {med(name, 'rps'):.0f} | {med(name, 'p50_ms'):.2f} | {med(name, 'p99_ms'):.2f} "
          f"| {med(name, 'router_cpu_ms'):.4f} | {med(name, 'bff_cpu_ms'):.4f} | {total:.4f} | {total / g['router_cpu_ms']:.3f} "
          f"| {', '.join(f'{x:.2f}' for x in rounds(name))} ({statistics.median(rounds(name)):.3f}) |")
PY
