// The page validates with the same table as the service: src/op-constraints.js must be anneau-core's TSV, verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TSV, JS, render } from '../tools/sync-op-constraints.mjs';
import { OPERATORS, TABLE, SIGNATURES, INFER, rule } from '../src/validation.js';

test('src/op-constraints.js is the generated copy of op-constraints.tsv (else: node tools/sync-op-constraints.mjs)', () => {
  assert.equal(readFileSync(JS, 'utf8'), render(readFileSync(TSV, 'utf8')));
});

test('all 95 operators of the spec table have a signature and a validation rule, and nothing else does', () => {
  assert.equal(OPERATORS.length, 95);
  assert.deepEqual([...OPERATORS].sort(), Object.keys(SIGNATURES).sort());
  assert.deepEqual([...OPERATORS].sort(), Object.keys(INFER).sort());
});

test('every operand a signature names has a row in the table', () => {
  for (const [op, sig] of Object.entries(SIGNATURES)) {
    for (const [kind, name] of sig) {
      if (kind === 'operand') assert.ok(rule(op, name), `${op}.${name} has no row in the spec table`);
    }
  }
  assert.ok(TABLE.get('concat').has('inputs'));
});

test('table rows parse as the Java OperatorLimits does', () => {
  const conv = rule('conv2d', 'filter');
  assert.equal(conv.sameTypeAs, 'input');
  assert.equal(conv.minRank, 4);
  assert.equal(conv.maxRank, 4);
  const gather = rule('gather', 'indices');
  assert.deepEqual([...gather.allowedTypes].sort(), ['int32', 'int64', 'uint32']);
  assert.equal(gather.minRank, 0);
  assert.equal(gather.maxRank, 8);
  assert.equal(rule('gatherElements', 'indices').sameRankAs, 'input');
  assert.ok(rule('lstm', 'outputs[2]'), "'outputs[2] if returnSequence is true' is keyed by its first word");
  assert.equal(rule('add', 'a').allowedTypes.size, 8, "'any' is the eight spec types (int4/uint4 are an extension)");
});
