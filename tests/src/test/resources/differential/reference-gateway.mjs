// A reference gateway for the differential tester (dev.vestibule.tests.differential): Apollo Gateway
// (@apollo/gateway behind @apollo/server) or Hive Gateway (@graphql-hive/gateway's runtime), the package installed by
// ReferenceGateway into a cache folder. One Node process holds the gateway of every loaded supergraph:
//   POST /load/NAME    body: supergraph SDL         -> {"ok":true} once the gateway answers, or 500 {"error":...}
//   POST /query/NAME   body: {"query","variables"}  -> the gateway's GraphQL response
//   POST /unload/NAME                              -> {"ok":true}
//   POST /crash/_                                  -> {"ok":true}, then the process dies of an uncaught TypeError, as
//                                                     Hive Gateway 2.10.4's does on some operations (to test restarts)
// usage: node reference-gateway.mjs apollo|hive     (prints "listening PORT" on 127.0.0.1, port chosen by the system)
import { createServer } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const kind = process.argv[2];
if (kind !== "apollo" && kind !== "hive") {
  console.error("usage: node reference-gateway.mjs apollo|hive");
  process.exit(2);
}
const gateways = new Map();
const scratch = mkdtempSync(join(tmpdir(), "vestibule-reference-"));

async function load(name, sdl) {
  await unload(name);
  if (kind === "apollo") {
    const { ApolloServer } = await import("@apollo/server");
    const { ApolloGateway } = await import("@apollo/gateway");
    const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl }), includeStacktraceInErrorResponses: false });
    await server.start();
    const execute = async (body) => {
      const response = await server.executeOperation({ query: body.query, variables: body.variables ?? {} });
      return response.body.kind === "single" ? response.body.singleResult : { errors: [{ message: "incremental delivery" }] };
    };
    gateways.set(name, { execute, stop: () => server.stop() });
  } else {
    const { createGatewayRuntime } = await import("@graphql-hive/gateway");
    const file = join(scratch, `${name.replace(/[^A-Za-z0-9_-]/g, "_")}.graphql`);
    writeFileSync(file, sdl);
    const runtime = createGatewayRuntime({ supergraph: file, logging: false, pollingInterval: 0 });
    const execute = async (body) => {
      const response = await runtime.fetch("http://127.0.0.1/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query: body.query, variables: body.variables ?? {} }),
      });
      return await response.json();
    };
    gateways.set(name, { execute, stop: () => runtime[Symbol.asyncDispose]?.() });
    // the runtime loads its supergraph on the first request: make that happen now
    const ping = await execute({ query: "{ __typename }" });
    if (ping?.data?.__typename !== "Query") throw new Error("hive gateway did not start: " + JSON.stringify(ping));
  }
}

async function unload(name) {
  const gateway = gateways.get(name);
  gateways.delete(name);
  if (gateway) await gateway.stop();
}

function read(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (c) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

const server = createServer(async (request, response) => {
  const send = (status, value) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(value));
  };
  try {
    const [, action, name] = request.url.split("/");
    const body = await read(request);
    if (action === "load") {
      await load(decodeURIComponent(name), body);
      send(200, { ok: true });
    } else if (action === "crash") {
      send(200, { ok: true });
      setTimeout(() => Object.defineProperties(undefined, {}), 10);
    } else if (action === "unload") {
      await unload(decodeURIComponent(name));
      send(200, { ok: true });
    } else if (action === "query") {
      const gateway = gateways.get(decodeURIComponent(name));
      if (!gateway) return send(404, { error: "not loaded: " + name });
      send(200, await gateway.execute(JSON.parse(body)));
    } else {
      send(404, { error: "unknown action" });
    }
  } catch (e) {
    send(500, { error: String(e?.stack ?? e) });
  }
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
