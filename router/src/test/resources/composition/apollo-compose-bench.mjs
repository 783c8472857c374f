// Times @apollo/composition on one subgraph set: stdin [{"name", "subgraphs": [...]}], argv[2] = warm runs.
// stdout: {"cold": ms, "warm": median ms, "supergraph": sdl}
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const [testCase] = JSON.parse(input);
const runs = Number(process.argv[2] ?? 5);
const compose = () => composeServices(testCase.subgraphs.map(s => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
let start = performance.now();
const first = compose();
const cold = performance.now() - start;
if (first.errors) { console.error(first.errors.map(e => e.message).join('\n')); process.exit(1); }
const warm = [];
for (let i = 0; i < runs; i++) { start = performance.now(); compose(); warm.push(performance.now() - start); }
warm.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ cold, warm: warm[Math.floor(warm.length / 2)], supergraph: first.supergraphSdl, node: process.version }));
