import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
// Internals, on purpose: this test corrupts shared memory the public API never lets a user touch.
import { makeLayout, readHeader, writeHeader, hot, slotWord, HOT_INBOX, S_NEXT } from '#internal/layout.js';
import { AtomicsMem } from '#internal/mem.js';
import { reverseBatch, takeInbox } from '#internal/protocol/inbox.js';
import { cleanerCtx } from '#internal/runtime/cleaner.js';

test('a header full of garbage is refused with a reason, never accepted and never looped on', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 0, maxLength: 64 }), fc.integer(), (words, hash) => {
      const i32 = new Int32Array(new SharedArrayBuffer(Math.max(4, words.length * 4)));
      i32.set(words);
      try {
        const L = readHeader(i32, hash);
        // Accepted only if it really describes a layout that fits this buffer.
        assert.ok(L.totalBytes <= i32.byteLength && L.agents >= 1 && L.slotsPerAgent >= 1);
      } catch (e) {
        assert.ok(e instanceof Error && e.message.length > 0);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a header from another call table is refused', () => {
  const L = makeLayout({ agents: 2, slotsPerAgent: 2, arenaPerSlot: 64, tableHash: 1234 });
  const i32 = new Int32Array(new SharedArrayBuffer(L.totalBytes));
  writeHeader(i32, L);
  assert.equal(readHeader(i32, 1234).agents, 2);
  assert.throws(() => readHeader(i32, 999), /call table differs/);
});

test('an inbox holding a bad slot index or a cycle is reported as corrupt, not followed forever', () => {
  const L = makeLayout({ agents: 2, slotsPerAgent: 4, arenaPerSlot: 64, tableHash: 1 });
  const buffer = new SharedArrayBuffer(L.totalBytes);
  const i32 = new Int32Array(buffer);
  writeHeader(i32, L);
  const ctx = { ...cleanerCtx(buffer, L), id: 1 };
  const mem = new AtomicsMem(buffer);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 12 }), { minLength: 1, maxLength: 12 }), (links) => {
      // Chain slots by the given links, starting from the first: out-of-range indexes and cycles appear.
      mem.store(hot(L, 1, HOT_INBOX), links[0]!);
      for (let k = 0; k < L.totalSlots; k++) mem.write(slotWord(L, k, S_NEXT), links[(k + 1) % links.length]!);
      try {
        const head = takeInbox(ctx);
        if (head !== -1) reverseBatch(ctx, head);
      } catch (e) {
        assert.equal((e as { code?: string }).code, 'ERR_SMPCALL_CORRUPT');
      }
    }),
    { numRuns: 1000 },
  );
});
