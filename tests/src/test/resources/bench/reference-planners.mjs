// The reference query planners for tests/bench/plan-bench.sh (dev.vestibule.tests.bench.PlanningBench): Apollo's
// (@apollo/query-planner, the planner of Apollo Gateway) and Hive's Rust planner (@graphql-hive/router-query-planner,
// Hive Router's planner as a Node addon), npm-installed into a cache folder by the Java side.
// Protocol: one JSON request per stdin line, one JSON answer per stdout line:
//   {"name", "supergraph": SDL, "warmup": [OP], "operations": [OP]}   OP: {"query", "variables"}
//   (without "supergraph": the planners of the last supergraph sent, kept, for the shrinker's many small requests)
//   -> {"name", "apollo": [RESULT], "hive": [RESULT]}                   one RESULT per operation, in order
//   RESULT: {"micros": planning time, "plan": {kind, nodes | node | condition, ifClause, elseClause | serviceName}}
//           or {"micros", "error": message}
// Each planner is made once per supergraph (not timed); the warm-up operations are planned first, untimed, so that
// V8's compilers have seen the planner's code; each operation is then planned once: cold for that operation (no plan
// cache), as a gateway plans an operation it has not seen. Apollo's time covers normalizing the parsed operation
// (operationFromDocument) and building the plan; Hive's covers its addon call (parse, normalize, plan).
import { createInterface } from "node:readline";
import { parse } from "graphql";
import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner as ApolloPlanner } from "@apollo/query-planner";
import * as hiveModule from "@graphql-hive/router-query-planner";

const HivePlanner = hiveModule.QueryPlanner;

/** The plan reduced to what fetch counting reads (Apollo's objects carry documents and schemas). */
function shape(node) {
  if (!node || typeof node !== "object") return null;
  const out = { kind: node.kind };
  if (node.serviceName !== undefined) out.serviceName = node.serviceName;
  if (Array.isArray(node.nodes)) out.nodes = node.nodes.map(shape);
  if (node.node) out.node = shape(node.node);
  if (node.kind === "Condition") {
    out.condition = node.condition;
    out.ifClause = shape(node.ifClause);
    out.elseClause = shape(node.elseClause);
  }
  if (node.kind === "Defer") {
    out.primary = node.primary ? { node: shape(node.primary.node) } : null;
    out.deferred = (node.deferred ?? []).map((d) => ({ node: shape(d.node) }));
  }
  if (node.kind === "Subscription") {
    out.primary = shape(node.primary);
    out.rest = shape(node.rest);
  }
  // Hive Router's BatchFetch: entity calls for several paths in one request to one subgraph (serviceName: one fetch)
  if (node.entityBatch?.aliases) out.entityBatchAliases = node.entityBatch.aliases.length;
  return out;
}

async function timed(plan) {
  const start = process.hrtime.bigint();
  try {
    let result = plan();
    if (result && typeof result.then === "function") result = await result;
    const micros = Number((process.hrtime.bigint() - start) / 1000n);
    return { micros, plan: shape(typeof result === "string" ? JSON.parse(result) : result) };
  } catch (e) {
    const micros = Number((process.hrtime.bigint() - start) / 1000n);
    return { micros, error: String(e?.message ?? e).split("\n")[0].slice(0, 300) };
  }
}

let current = null;

function planners(request) {
  if (!request.supergraph && current?.name === request.name) return current;
  current = { name: request.name, apollo: null, apolloSchema: null, hive: null };
  try {
    const supergraph = Supergraph.build(request.supergraph);
    current.apolloSchema = supergraph.apiSchema();
    current.apollo = new ApolloPlanner(supergraph);
  } catch (e) {
    current.apolloError = String(e?.message ?? e).split("\n")[0];
  }
  try {
    current.hive = new HivePlanner(request.supergraph);
  } catch (e) {
    current.hiveError = String(e?.message ?? e).split("\n")[0];
  }
  return current;
}

async function planAll(request) {
  const answer = { name: request.name, apollo: [], hive: [] };
  const { apollo, apolloSchema, hive, apolloError, hiveError } = planners(request);
  answer.apolloError = apolloError;
  answer.hiveError = hiveError;
  const apolloPlan = (op) => () => apollo.buildQueryPlan(operationFromDocument(apolloSchema, op.document, { validate: false }));
  // no progressive-override label active, percentage 0: the plan a request without labels gets
  const hivePlan = (op) => () => hive.plan(op.query, null, new Set(), 0);
  const prepared = (ops) => ops.map((op) => ({ ...op, document: parse(op.query) }));
  const warmup = prepared(request.warmup ?? []);
  const operations = prepared(request.operations);
  for (const op of warmup) {
    if (apollo) await timed(apolloPlan(op));
    if (hive) await timed(hivePlan(op));
  }
  for (const op of operations) {
    answer.apollo.push(apollo ? await timed(apolloPlan(op)) : { micros: 0, error: answer.apolloError });
    answer.hive.push(hive ? await timed(hivePlan(op)) : { micros: 0, error: answer.hiveError });
  }
  return answer;
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
console.log(JSON.stringify({ ready: true }));
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  console.log(JSON.stringify(await planAll(request)));
}
