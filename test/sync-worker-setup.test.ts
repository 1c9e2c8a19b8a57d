import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasWorkerSetup, withWorkerSetup, workerSetupOf } from '#internal/sync/worker-setup.js';

test("a sync worker's set-up survives its trip through the calls module's URL, with no encoded slash in it (Deno refuses those under node_modules)", () => {
  const setup = {
    worker: 'file:///tmp/a%20b/ünïcødé 漢字/worker.mjs',
    require: true,
    shims: [{ specifier: 'file:///opt/x/shim.js', globalName: 'fetch', named: null, conditional: false }],
  };
  const url = withWorkerSetup(new URL('file:///project/node_modules/smpcall/dist/bundle/sync/calls.js?stale=1'), setup);
  assert.equal(url.pathname, '/project/node_modules/smpcall/dist/bundle/sync/calls.js');
  assert.doesNotMatch(url.search, /%|\//, 'base64url: no escape and no slash in the query');
  assert.ok(hasWorkerSetup(url.href));
  assert.deepEqual(workerSetupOf(url.href), setup);
  assert.equal(workerSetupOf('file:///project/calls.js'), undefined, 'the main thread imports it without a set-up');
  assert.equal(hasWorkerSetup('file:///project/calls.js'), false);
});
