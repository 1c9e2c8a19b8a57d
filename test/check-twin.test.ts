import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { TwinBuildError, buildTwin, readSources, protocolDir } from '#internal/check/twin.js';
import { loadTwin } from '#internal/check/twin-modules.js';
import { CheckCrashed, exhaustive } from '#internal/check/explore.js';
import { scenarios } from '#internal/check/scenarios.js';

test('the twin is compiled from the current protocol source, with every shared-memory and host call a scheduling point', async () => {
  const sources = readSources();
  const dir = new URL(await buildTwin(sources));
  const files = readdirSync(protocolDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  assert.ok(files.length >= 15, 'the whole protocol folder is compiled');
  const ops = 'read|write|note|load|store|cas|exchange|add|wait|notify|spinWhile';
  for (const file of files) {
    const src = readFileSync(`${protocolDir}${file}.ts`, 'utf8');
    const twin = readFileSync(new URL(`${file}.js`, dir), 'utf8');
    const memCalls = (src.match(new RegExp(`\\bmem\\.(${ops})\\(`, 'g')) ?? []).length;
    // Each becomes `(yield* __at("file.ts:line", mem.op(...)))`: a scheduling point that names its line.
    const yieldedMem = (twin.match(new RegExp(`yield\\* __at\\("${file}\\.ts:\\d+", (?:a\\.)?mem\\.(${ops})\\(`, 'g')) ?? []).length;
    assert.equal(yieldedMem, memCalls, `${file}: every mem call must become a labelled yield*`);
    if (/^export function /m.test(src)) assert.match(twin, /export function\*/);
  }
});

test('a mutant that does not compile is an error of the tool, never a caught mutant', async () => {
  const broken = readSources([{ file: 'wait.ts', find: 'export function parkEnd(a: Ctx): void {', replace: 'export function parkEnd(a: Ctx): void { (((' }]);
  await assert.rejects(() => buildTwin(broken), TwinBuildError);
});

test('a mutant that crashes the checked code (an engine error) is an error of the tool, never a caught mutant', async () => {
  const P = await loadTwin([{ file: 'send.ts', find: '  if (pushResult(pushed) === PUSH_FIRST) ringIfParked(a, target);', replace: '  if (pushResult(pushed) === PUSH_FIRST) ringIfParkedX(a, target);' }]);
  const s = scenarios.find((x) => x.name === 'parked-wake')!;
  assert.throws(() => exhaustive(s, P), CheckCrashed);
});

test('a mutant patch that no longer matches the protocol is refused loudly', () => {
  assert.throws(() => readSources([{ file: 'wait.ts', find: 'this text is not in the protocol', replace: '' }]), /no longer applies/);
});
