// `npm run pack:check`: what the published package looks like to its users' tools, on the current build.
// - publint: package.json against the files the tarball holds (exports, main, types, bin, files).
// - @arethetypeswrong/cli: every entry's types and JavaScript under each TypeScript module resolution
//   (node10, node16 from CommonJS and from ES modules, bundler).
// The tarball is packed without scripts (prepack would build again), into a temp folder removed after.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'smpcall-pack-check-'));
let failed = 0;
try {
  const step = (what, cmd, args) => {
    console.log(`\n## ${what}`);
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) failed++;
  };
  step('publint', bin('publint'), ['--strict']);
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }));
  step('are the types wrong', bin('attw'), [join(tmp, filename)]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failed ? `\npack:check: ${failed} check(s) failed` : '\npack:check: publint and attw found nothing');
process.exit(failed ? 1 : 0);
