import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerClass } from 'smpcall';

const refused = (fn: () => void, message: RegExp): void =>
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ERR_SMPCALL_USAGE');
    assert.match(e.message, message);
    return true;
  });

test('registerClass refuses built-in constructors, whose codec would be accepted and never used', () => {
  for (const cls of [Object, Array, Map, Set, Date, RegExp, Error, TypeError, Uint8Array, ArrayBuffer, Promise]) {
    refused(() => registerClass(cls as never, { encode: () => 0, decode: () => new Map() as never }), new RegExp(`${cls.name} is built in`));
  }
  // A subclass of a built-in is the user's own class.
  class Coded extends Error {
    constructor(readonly code: number) {
      super(`code ${code}`);
    }
  }
  registerClass(Coded, { encode: (e) => e.code, decode: (c) => new Coded(c) });
});

test('registering a class again with the same codec changes nothing; with another codec, or another class under its name, is refused', () => {
  class Pair {
    constructor(
      readonly a: number,
      readonly b: number,
    ) {}
  }
  const codec = { encode: (p: Pair) => [p.a, p.b], decode: ([a, b]: number[]) => new Pair(a!, b!) };
  registerClass(Pair, codec);
  registerClass(Pair, codec);
  refused(() => registerClass(Pair, { encode: (p) => [p.b, p.a], decode: ([b, a]: number[]) => new Pair(a!, b!) }), /Pair is already registered \(as "Pair"\) with another codec/);
  class Other {}
  refused(() => registerClass(Other, { name: 'Pair', encode: () => 0, decode: () => new Other() }), /another class is already registered as "Pair"/);
});
