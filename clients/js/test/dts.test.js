import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DTS, render } from '../tools/gen-types.mjs';

test('index.d.ts is generated from the signatures the builder validates with (else: node tools/gen-types.mjs)', () => {
  const text = readFileSync(DTS, 'utf8');
  assert.equal(text, render());
  assert.equal((text.match(/^ {2}[a-zA-Z0-9]+\(.*\): MLOperand(\[\])?;$/gm) ?? []).length, 95 + 4, '95 operators, input and 3 constant overloads');
});
