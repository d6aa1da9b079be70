// The browser harness's port of the suite's value encoding and tolerance rules (SUITE-README), checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compare, encode, toHalf, elements, float32UlpBits } from '../e2e/wpt-harness.js';

const ulp = (value) => ({ metricType: 'ULP', value });
const f32 = (...v) => new Uint8Array(new Float32Array(v).buffer);

test('float32 ULP: sign-magnitude bit distance, +0 equals -0, NaN equals NaN, a sign flip is huge', () => {
  assert.equal(compare(ulp(0), 'float32', f32(-0), [0], 1).passed, true);
  assert.equal(compare(ulp(0), 'float32', f32(NaN), ['NaN'], 1).passed, true);
  const next = new Float32Array([1]);
  new Uint32Array(next.buffer)[0] += 2;
  assert.equal(compare(ulp(2), 'float32', new Uint8Array(next.buffer), [1], 1).passed, true);
  assert.equal(compare(ulp(1), 'float32', new Uint8Array(next.buffer), [1], 1).worst, 2);
  assert.equal(compare(ulp(1000), 'float32', f32(-1), [1], 1).worst, 2 * 0x3f800000);
  assert.equal(float32UlpBits(-1), -0x3f800000);
  assert.equal(compare(ulp(null), 'float32', f32(0.1), [0.1], 1).passed, false, 'no tolerance: exact double equality');
});

test('float16 ULP on raw bits; toHalf rounds half up after a float32 step', () => {
  assert.equal(toHalf(1), 0x3c00);
  assert.equal(toHalf(1 + 2 ** -11), 0x3c01, 'the WPT routine rounds the halfway case up, not to even');
  assert.equal(toHalf(2 ** -25), 0x0000, 'below 2^-24 after the float32 step: flushed');
  assert.equal(toHalf(-Infinity), 0xfc00);
  const h = (...bits) => new Uint8Array(new Uint16Array(bits).buffer);
  assert.equal(compare(ulp(0), 'float16', h(0x8000), [0], 1).passed, true, '±0');
  assert.equal(compare(ulp(1), 'float16', h(0x3c01), [1], 1).passed, true);
  assert.equal(compare(ulp(1), 'float16', h(0xbc00), [1], 1).worst, 0x8000, 'a sign flip costs 0x8000 on raw patterns');
});

test('integers compare exactly, int64 beyond 2^53 included; ATOL never passes NaN', () => {
  const i64 = (...v) => new Uint8Array(new BigInt64Array(v).buffer);
  assert.equal(compare(ulp(0), 'int64', i64(9223372036854775807n), ['9223372036854775807'], 1).passed, true);
  assert.equal(compare(ulp(0), 'int64', i64(9223372036854775806n), ['9223372036854775807'], 1).worst, 1);
  const u64 = new Uint8Array(new BigUint64Array([18446744073709551615n]).buffer);
  assert.equal(compare(ulp(0), 'uint64', u64, ['18446744073709551615'], 1).passed, true);
  assert.equal(compare({ metricType: 'ATOL', value: 1 }, 'float32', f32(NaN), [0], 1).passed, false);
  assert.equal(compare({ metricType: 'ATOL', value: 1 / 1024 }, 'float32', f32(0.5), [0.5009], 1).passed, true);
});

test('a scalar expected value is compared with the first 1000 elements only', () => {
  const data = new Float32Array(1500).fill(3);
  data[1200] = 99;
  const c = compare(ulp(0), 'float32', new Uint8Array(data.buffer), 3, 1500);
  assert.equal(c.compared, 1000);
  assert.equal(c.passed, true);
});

test('every expected output of the suite, encoded in its type, matches itself under its tolerance', () => {
  const dir = fileURLToPath(new URL('../../../testdata/webnn-wpt/conformance/', import.meta.url));
  let outputs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('_'))) {
    for (const t of JSON.parse(readFileSync(dir + file, 'utf8'))) {
      for (const [name, o] of Object.entries(t.graph.expectedOutputs)) {
        // a few 4-bit expectations lie outside the type (e.g. 16 for uint4: a saturated 15 is within ULP 1)
        if (o.descriptor.dataType.endsWith('int4')) continue;
        const n = elements(o.descriptor.shape);
        const bytes = encode(o.descriptor.dataType, o.data, n);
        const c = compare(t.tolerance, o.descriptor.dataType, new Uint8Array(bytes.buffer), o.data, n);
        assert.ok(c.passed, `${file} :: ${t.name} :: ${name}: ${c.first.join(', ')}`);
        outputs++;
      }
    }
  }
  assert.ok(outputs > 1800, `${outputs} outputs`);
});
