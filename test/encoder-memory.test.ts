import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StructuredWriter } from '#internal/codec/structured-writer.js';
import { SharedBuffers } from '#internal/codec/shared-buffers.js';

test("the encoder gives back a scratch buffer grown for one large payload, so one big call does not keep its memory", () => {
  const w = new StructuredWriter(new SharedBuffers());
  const size = (): number => (w as unknown as { buf: ArrayBuffer }).buf.byteLength;
  const small = size();
  w.encode(['x'.repeat(4 << 20)], 1, 'a large argument');
  assert.ok(size() >= 8 << 20, 'it grew for the payload');
  w.release();
  assert.equal(size(), small, 'and shrank back after it');
  // A refused payload shrinks back too (the caller releases in a finally).
  assert.throws(() => w.encode([() => 1], 1, 'a function'));
  w.release();
  assert.equal(size(), small);
});
