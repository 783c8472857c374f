#!/bin/bash
# Composes every federation-gateway-audit suite with Vestibule from its running subgraphs (_service { sdl }) and
# compares the result with the audit's supergraph (composed by Apollo). Start the audit server first:
#   <scratch copy of ../shared/audit>/run-audit.sh --serve-only --out DIR     (writes DIR/supergraphs/*.graphql)
# then: JAVA=<java 21+> tests/audit/compose-audit.sh DIR/supergraphs router/target/router.jar
dir=${1:?usage: compose-audit.sh SUPERGRAPH_DIR ROUTER_JAR}; jar=${2:?usage: compose-audit.sh SUPERGRAPH_DIR ROUTER_JAR}; java=${JAVA:-java}
pass=0; fail=0
for f in "$dir"/*.graphql; do
  suite=$(basename "$f" .graphql)
  args=()
  while read -r name url; do args+=(--subgraph "$name=$url"); done < <(grep -o '@join__graph(name: "[^"]*", url: "[^"]*")' "$f" | sed 's/@join__graph(name: "\([^"]*\)", url: "\([^"]*\)")/\1 \2/')
  out=$($java -jar "$jar" compose "${args[@]}" --compare "$f" 2>&1)
  if [ $? -eq 0 ]; then pass=$((pass+1)); echo "ok   $suite"; else fail=$((fail+1)); echo "FAIL $suite"; echo "$out" | grep -v "^hint" | head -${LINES_PER:-6} | sed 's/^/     /' | cut -c1-400; fi
done
echo "composed equivalently: $pass, different or failed: $fail"
