import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHistory, placeRun, placementOf, saveHistory } from '#internal/bench/placements.js';

const goal = (what: string, value: string, floorUs?: number) => ({ what, value, met: false, ...(floorUs === undefined ? {} : { floorUs }) });

test('a run is filed under the placement its spin floor shows, and sees the other placement as last recorded', () => {
  assert.equal(placementOf(0.07), 'near');
  assert.equal(placementOf(0.34), 'far');
  const first = placeRun({}, [goal('callSync ≤ 2x', '5.1x', 0.07), goal('allocation', '12 KiB')], '2026-12-04');
  assert.equal(first.other.size, 0, 'nothing on record yet');
  assert.deepEqual(Object.keys(first.next), ['callSync ≤ 2x'], 'a goal measured apart from a floor has no placement');
  const second = placeRun(first.next, [goal('callSync ≤ 2x', '2.4x', 0.34)], '2026-12-05');
  assert.deepEqual(second.other.get('callSync ≤ 2x'), { value: '5.1x', met: false, floorUs: 0.07, date: '2026-12-04', placement: 'near' });
  assert.equal(second.next['callSync ≤ 2x']?.far?.value, '2.4x');
  assert.equal(second.next['callSync ≤ 2x']?.near?.value, '5.1x', 'the other placement is kept');
  // A later run at the same placement replaces that placement's record and still sees the other.
  const third = placeRun(second.next, [goal('callSync ≤ 2x', '2.2x', 0.4)], '2026-12-06');
  assert.equal(third.other.get('callSync ≤ 2x')?.value, '5.1x');
  assert.equal(third.next['callSync ≤ 2x']?.far?.value, '2.2x');
});

test('the history survives a round trip through its file, and an unreadable one starts afresh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smpcall-placements-'));
  const file = join(dir, 'results', 'placements.json');
  assert.deepEqual(loadHistory(file), {});
  const h = placeRun({}, [goal('g', '1x', 0.1)], '2026-12-05').next;
  saveHistory(file, h);
  assert.deepEqual(loadHistory(file), h);
  writeFileSync(file, '{ not json');
  assert.deepEqual(loadHistory(file), {});
});
