// Runs the compiled test files (dist-test/test/**/*.test.js) with node's test runner.
// Node 20's `node --test` takes no glob, so the files are listed here. Extra arguments are passed
// through (e.g. `npm test -- --test-name-pattern=order`); a bare name filters files by substring.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'dist-test', 'test');
const walk = (d) =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const files = walk(dir)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => relative(root, f));
if (files.length === 0) {
  console.error('no test files found under dist-test/test (did the build run?)');
  process.exit(1);
}
// The whole suite also checks the code's shape: the linter (unused names are errors) and the
// architecture rules (protocol imports only layout/mem/errors, no cycles...: .dependency-cruiser.cjs).
if (filters.length === 0) {
  for (const [what, bin, argv] of [
    ['lint', 'eslint/bin/eslint.js', ['--max-warnings=0', '.']],
    ['architecture', 'dependency-cruiser/bin/dependency-cruise.mjs', ['--config', '.dependency-cruiser.cjs', 'src']],
  ]) {
    const c = spawnSync(process.execPath, [join(root, 'node_modules', bin), ...argv], { cwd: root, stdio: 'inherit' });
    if (c.status !== 0) {
      console.error(`npm test: the ${what} check failed`);
      process.exit(c.status ?? 1);
    }
  }
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=180000', ...flags, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
