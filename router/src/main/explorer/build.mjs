// Bundles the explorer (GraphiQL and the plan panel) into one script, one style sheet and the page, for the router's
// jar: node build.mjs [--out DIR] (default: ../../../target/classes/explorer). No CDN, no inline script: the router
// serves these files under a Content-Security-Policy that allows only its own origin.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf('--out');
const out = resolve(at > 0 ? process.argv[at + 1] : join(here, '../../../target/classes/explorer'));
await mkdir(out, { recursive: true });

await build({
  entryPoints: { explorer: join(here, 'src/main.jsx') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  outdir: out,
  logLevel: 'warning',
});
await copyFile(join(here, 'src/index.html'), join(out, 'index.html'));
// precompressed copies: the router sends them to clients that accept gzip (the script is over a megabyte)
for (const name of ['explorer.js', 'explorer.css']) {
  await writeFile(join(out, name + '.gz'), gzipSync(await readFile(join(out, name)), { level: 9 }));
}
console.log(`explorer built into ${out}`);
