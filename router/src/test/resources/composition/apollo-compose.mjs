// The differential test's oracle: composes each case with Apollo's @apollo/composition.
// stdin: [{"name": ..., "subgraphs": [{"name", "url", "sdl"}]}]
// stdout: [{"name", "supergraph"} | {"name", "errors": [{"code", "message"}]}]
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const testCase of JSON.parse(input)) {
  try {
    const result = composeServices(testCase.subgraphs.map(s => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
    if (result.errors) {
      results.push({ name: testCase.name, errors: result.errors.map(e => ({ code: e.extensions?.code ?? 'UNKNOWN', message: e.message })) });
    } else {
      results.push({ name: testCase.name, supergraph: result.supergraphSdl });
    }
  } catch (e) {
    results.push({ name: testCase.name, errors: [{ code: 'INVALID_GRAPHQL', message: String(e.message ?? e) }] });
  }
}
process.stdout.write(JSON.stringify(results));
