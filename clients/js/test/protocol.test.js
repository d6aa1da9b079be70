import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, decodeFrame, toJson, errorFromReply } from '../src/session.js';

test('numbers JSON cannot carry travel as the strings the protocol names', () => {
  assert.equal(toJson([NaN, Infinity, -Infinity, -0, 0, 12n, -(2n ** 64n), 1.5]),
    '["NaN","Infinity","-Infinity","-0",0,"12","-18446744073709551616",1.5]');
});

test('a binary frame is u32le header length, UTF-8 JSON header, payload', () => {
  const payload = new Uint8Array([1, 2, 3, 250]);
  const f = encodeFrame({ id: 7, type: 'writeTensor', name: 'é' }, [payload.subarray(0, 2), payload.subarray(2)]);
  const n = new DataView(f.buffer).getUint32(0, true);
  assert.equal(new TextDecoder().decode(f.subarray(4, 4 + n)), '{"id":7,"type":"writeTensor","name":"é"}');
  assert.deepEqual(Array.from(f.subarray(4 + n)), [1, 2, 3, 250]);
  const back = decodeFrame(f.buffer);
  assert.deepEqual(back.header, { id: 7, type: 'writeTensor', name: 'é' });
  assert.deepEqual(Array.from(back.payload), [1, 2, 3, 250]);
  assert.throws(() => decodeFrame(new Uint8Array([9, 0, 0, 0, 123]).buffer), /truncated/);
  assert.throws(() => decodeFrame(new Uint8Array([1, 0]).buffer), /too short/);
});

test('reply errors become the errors a native implementation throws', () => {
  const t = errorFromReply({ name: 'TypeError', message: 'ops[0] relu: bad' });
  assert.ok(t instanceof TypeError);
  assert.equal(t.message, 'ops[0] relu: bad');
  const q = errorFromReply({ name: 'QuotaExceededError', message: 'too big', status: 413 });
  assert.ok(q instanceof DOMException);
  assert.equal(q.name, 'QuotaExceededError');
});
