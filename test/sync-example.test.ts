import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = `${root}examples/synckit-style/`;

function runNode(file: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the synckit-style example runs on smpcall/sync and prints what prettier formats', async () => {
  const r = runNode(`${example}main.js`);
  assert.equal(r.code, 0, r.err);
  const source = /const ugly = (".*");/.exec(readFileSync(`${example}main.js`, 'utf8'))![1]!;
  assert.equal(r.out, await format(JSON.parse(source) as string, { parser: 'babel' }));
});

test('the example differs from its synckit original only in the import: both print the same', () => {
  // Put the original back (the import swapped to synckit) in a scratch folder inside the repo.
  const original = `${root}dist-test/synckit-original/`;
  mkdirSync(original, { recursive: true });
  for (const f of ['main.js', 'worker.js']) {
    const text = readFileSync(`${example}${f}`, 'utf8');
    const swapped = text.replace("from 'smpcall/sync'", "from 'synckit'");
    assert.notEqual(swapped, text, `${f} imports smpcall/sync`);
    assert.equal(swapped.replace("from 'synckit'", "from 'smpcall/sync'"), text); // nothing else differs
    writeFileSync(`${original}${f}`, swapped);
  }
  const ours = runNode(`${example}main.js`);
  const theirs = runNode(`${original}main.js`);
  assert.equal(theirs.code, 0, theirs.err);
  assert.equal(ours.out, theirs.out);
});
