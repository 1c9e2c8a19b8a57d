// The CommonJS side of the dual package: dist/cjs/, written after tsc has built the ES modules (dist/).
//
// `require('smpcall')`, `require('smpcall/sync')` and `require('smpcall/torture')` load the ES module
// build itself, through require(esm) (Node ≥ 20.19 and ≥ 22.12 unflagged, every Node ≥ 23, Deno 2,
// Bun): each file here is one line, `module.exports = require('../index.js')`. So a program that both
// requires and imports smpcall gets one copy of it: one class registry, one `here()`, one
// `SmpcallError` class, and the worker entries, the calls modules and `import.meta.url` stay what
// they are in the ES build. (A second, compiled CommonJS copy would give a CommonJS main thread a
// registry and a current agent of its own, apart from the ones its ES calls module sees.)
//
// The types for `require` are the ES build's declarations, copied under dist/cjs/ next to a
// package.json that says "commonjs", so TypeScript reads them as the CommonJS module they describe.
// Only the declarations reachable from the three entries are copied.
//
// On a Node without require(esm) (20.0–20.18, 21, 22.0–22.11) `require` throws ERR_REQUIRE_ESM, with a
// line saying so; `import` works there.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const cjs = join(dist, 'cjs');
const ENTRIES = ['index', 'sync/index', 'torture/index', 'web-worker'];

rmSync(cjs, { recursive: true, force: true });
mkdirSync(cjs, { recursive: true });
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

for (const entry of ENTRIES) {
  const esm = join(dist, 'bundle', `${entry}.js`);
  if (!existsSync(esm)) throw new Error(`build-cjs: ${relative(root, esm)} is missing (run tsc first)`);
  const file = join(cjs, `${entry}.js`);
  const target = relative(dirname(file), esm).replaceAll('\\', '/');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `'use strict';
// smpcall's CommonJS entry: the ES module build itself, by require(esm), so that require and import share one copy.
try {
  module.exports = require('${target}');
} catch (e) {
  if (e && e.code === 'ERR_REQUIRE_ESM') {
    e.message += '\\nsmpcall: require() of smpcall needs a runtime that can require ES modules (Node >= 20.19 or >= 22.12, Deno 2, Bun); here use import() instead.';
  }
  throw e;
}
`,
  );
}

// Declarations: the closure of the entries' relative imports (`from './x.js'`, `import('./x.js')`),
// comments left out (their examples name files that are not there).
const seen = new Set();
const queue = ENTRIES.map((e) => join(dist, `${e}.d.ts`));
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  if (!existsSync(file)) throw new Error(`build-cjs: ${relative(root, file)} is missing`);
  const text = readFileSync(file, 'utf8');
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:from\s*|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    queue.push(join(dirname(file), m[2].replace(/\.js$/, '.d.ts')));
  }
  const out = join(cjs, relative(dist, file));
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(file, out);
}
