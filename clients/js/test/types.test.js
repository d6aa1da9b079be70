import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberToHalf, halfToNumber, castToFloat, castToInteger, idlUnsignedLong, idlMLNumber, byteLength } from '../src/types.js';

const fail = (m) => new TypeError(m);

test('double -> float16 rounds once, to nearest even, with subnormals and overflow', () => {
  assert.equal(numberToHalf(1), 0x3c00);
  assert.equal(numberToHalf(-2), 0xc000);
  assert.equal(numberToHalf(65504), 0x7bff);
  assert.equal(numberToHalf(65519.99), 0x7bff, 'below the midpoint to 2^16 stays finite');
  assert.equal(numberToHalf(65520), 0x7c00, 'the midpoint rounds to even: infinity');
  assert.equal(numberToHalf(2 ** -24), 0x0001, 'smallest subnormal');
  assert.equal(numberToHalf(2 ** -25), 0x0000, 'half of it ties to even: zero');
  assert.equal(numberToHalf(3 * 2 ** -25), 0x0002, '1.5 ulp ties to even: 2');
  assert.equal(numberToHalf(-0), 0x8000);
  assert.equal(numberToHalf(NaN) & 0x7c00, 0x7c00);
  assert.ok(numberToHalf(NaN) & 0x3ff);
  // 1 + 2^-11 is exactly between 1 and 1 + 2^-10: even is 1; a hair above goes up (one rounding, not two)
  assert.equal(numberToHalf(1 + 2 ** -11), 0x3c00);
  assert.equal(numberToHalf(1 + 2 ** -11 + 2 ** -40), 0x3c01);
  for (let h = 0; h < 0x7c00; h += 7) assert.equal(numberToHalf(halfToNumber(h)), h, `round trip of 0x${h.toString(16)}`);
});

test("the spec's cast of MLNumber: floats round, integers clamp then round half to even, NaN is 0", () => {
  assert.equal(castToFloat(0.1, 'float32'), Math.fround(0.1));
  assert.equal(castToFloat(1e10, 'float16'), Infinity);
  assert.equal(castToFloat(2n ** 64n + 1n, 'float32'), 2 ** 64);
  assert.equal(castToInteger(2.5, 'int8'), 2n);
  assert.equal(castToInteger(3.5, 'int8'), 4n);
  assert.equal(castToInteger(-1000, 'int8'), -128n);
  assert.equal(castToInteger(NaN, 'uint32'), 0n);
  assert.equal(castToInteger(Infinity, 'uint64'), 2n ** 64n - 1n);
  assert.equal(castToInteger(2n ** 70n, 'int64'), 2n ** 63n - 1n);
  assert.equal(castToInteger(-5n, 'uint4'), 0n);
});

test('WebIDL [EnforceRange] unsigned long and MLNumber', () => {
  assert.equal(idlUnsignedLong(3.9, 'x', fail), 3);
  assert.equal(idlUnsignedLong('7', 'x', fail), 7);
  assert.equal(Object.is(idlUnsignedLong(-0.5, 'x', fail), 0), true);
  assert.equal(idlUnsignedLong(4294967295, 'x', fail), 4294967295);
  assert.throws(() => idlUnsignedLong(4294967296, 'x', fail), TypeError);
  assert.throws(() => idlUnsignedLong(-1, 'x', fail), TypeError);
  assert.throws(() => idlUnsignedLong(NaN, 'x', fail), TypeError);
  assert.throws(() => idlUnsignedLong(1n, 'x', fail), TypeError);
  assert.throws(() => idlUnsignedLong('abc', 'x', fail), TypeError);
  assert.equal(idlMLNumber(5n, 'v', fail), 5n);
  assert.ok(Number.isNaN(idlMLNumber('abc', 'v', fail)));
  assert.equal(idlMLNumber('12', 'v', fail), 12);
});

test('byte lengths: 4-bit types pack two per byte', () => {
  assert.equal(byteLength('int4', 3), 2);
  assert.equal(byteLength('float16', 3), 6);
  assert.equal(byteLength('uint64', 2), 16);
});
