// One set-up step shared by `npm start`, `npm test` and CI: install dev tools if they are
// missing, then compile the library (src → dist) and the tests, benchmarks and examples
// (→ dist-test). Idempotent and quiet when there is nothing to do.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const lock = `${root}/package-lock.json`;
const installed = `${root}/node_modules/.package-lock.json`;
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  run(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}
run('npx tsc -p tsconfig.json');
run('npx tsc -p tsconfig.test.json');
