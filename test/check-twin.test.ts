import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildTwin, readSources, protocolDir } from '#internal/check/twin.js';

test('the twin is compiled from the current protocol source, with every shared-memory and host call a scheduling point', async () => {
  const sources = readSources();
  const dir = new URL(await buildTwin(sources));
  for (const file of ['wait', 'send', 'serve', 'inbox', 'doorbell', 'death']) {
    const src = readFileSync(`${protocolDir}${file}.ts`, 'utf8');
    const twin = readFileSync(new URL(`${file}.js`, dir), 'utf8');
    const memCalls = (src.match(/\bmem\.(read|write|load|store|cas|exchange|add|wait|notify)\(/g) ?? []).length;
    const yieldedMem = (twin.match(/yield\* (?:a\.)?mem\.(read|write|load|store|cas|exchange|add|wait|notify)\(/g) ?? []).length;
    assert.equal(yieldedMem, memCalls, `${file}: every mem call must become a yield*`);
    assert.doesNotMatch(twin, /[^*] mem\.(load|store|cas)\((?![^)]*\)\))/, `${file}: no unscheduled mem call`);
    assert.match(twin, /export function\*/);
  }
});

test('a mutant patch that no longer matches the protocol is refused loudly', () => {
  assert.throws(() => readSources([{ file: 'wait.ts', find: 'this text is not in the protocol', replace: '' }]), /no longer applies/);
});
