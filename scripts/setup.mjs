// One set-up step shared by `npm start`, `npm test` and CI: install dev tools if they are
// missing, then compile the library (src → dist, plus the CommonJS entries in dist/cjs: see
// scripts/build-cjs.mjs) and the tests, benchmarks and examples (→ dist-test). Idempotent and quiet
// when there is nothing to do. `--clean` (npm pack's prepack) first removes what an earlier build left,
// so that no output of a deleted source is packed.
import { existsSync, rmSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const lock = `${root}/package-lock.json`;
const installed = `${root}/node_modules/.package-lock.json`;
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  run(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}
if (process.argv.includes('--clean')) rmSync(`${root}/dist`, { recursive: true, force: true });
run('npx tsc -p tsconfig.json');
run('node scripts/bundle.mjs');
run('node scripts/build-cjs.mjs');
run('npx tsc -p tsconfig.test.json');
