// The builder in the page: synchronous validation, labels, state, and the build message it would send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, createOfflineContext } from '../src/index.js';

const f32 = (...shape) => ({ dataType: 'float32', shape });

test('shape inference happens synchronously, before anything is sent', () => {
  const b = new MLGraphBuilder(createOfflineContext());
  const x = b.input('x', f32(1, 8, 8, 3));
  const w = b.constant(f32(16, 3, 3, 3), new Float32Array(16 * 27));
  const y = b.conv2d(x, w, { inputLayout: 'nhwc', filterLayout: 'ohwi', strides: [2, 2], padding: [1, 1, 1, 1] });
  assert.deepEqual(y.shape, [1, 4, 4, 16]);
  const p = b.maxPool2d(y, { layout: 'nhwc', windowDimensions: [3, 3], strides: [2, 2], outputShapeRounding: 'ceil' });
  assert.deepEqual(p.shape, [1, 2, 2, 16]);
  const m = b.matmul(b.input('a', f32(5, 1, 2, 3)), b.input('b', f32(4, 3, 7)));
  assert.deepEqual(m.shape, [5, 4, 2, 7]);
  const [h, c, seq] = b.lstm(b.input('s', f32(3, 2, 4)), b.constant(f32(2, 20, 4), new Float32Array(160)),
    b.constant(f32(2, 20, 5), new Float32Array(200)), 3, 5, { direction: 'both', returnSequence: true });
  assert.deepEqual([h.shape, c.shape, seq.shape], [[2, 2, 5], [2, 2, 5], [3, 2, 2, 5]]);
  assert.equal(b.argMax(x, 3, { outputDataType: 'int64' }).dataType, 'int64');
  assert.deepEqual(b.gather(x, b.input('i', { dataType: 'int32', shape: [2, 5] }), { axis: 1 }).shape, [1, 2, 5, 8, 3]);
});

test('errors are TypeErrors that name [label], the operator, the rule and the values', () => {
  const b = new MLGraphBuilder(createOfflineContext());
  const x = b.input('x', f32(2, 3));
  assert.throws(() => b.reduceMean(x, { axes: [2], label: 'mean#1' }),
    { name: 'TypeError', message: '[mean#1] reduceMean: axes: axis 2 must be in the range [0, 2)' });
  assert.throws(() => b.matmul(x, b.input('y', f32(2, 3))), /matmul: the columns of a \(3, shape \[2, 3\]\) must equal the rows of b \(2/);
  assert.throws(() => b.relu(b.input('i', { dataType: 'uint8', shape: [2] })),
    /relu: input: data type uint8 is not allowed; expected one of float32, float16, int64, int32, int8/);
  assert.throws(() => b.transpose(x, { permutation: [0, 0] }), /permutation \[0, 0\]: axis 0 is listed twice/);
  assert.throws(() => b.add(x, 3), /add: b must be an MLOperand, got 3/);
  assert.throws(() => b.clamp(x, { minValue: 2, maxValue: 1, label: 'c' }), /\[c\] clamp: options.minValue \(2\) must not be greater/);
  assert.throws(() => b.pad(x, [0, 0], [0, 0], { mode: 'symmetric' }), /'symmetric' is not a valid MLPaddingMode/);
  assert.throws(() => b.softmax(x), /softmax: axis must be a finite number/, 'the pre-2024 softmax(input) overload is gone, as in the spec');
  assert.deepEqual(b.softmax(x, 1).shape, [2, 3]);
});

test('operands from another builder, built builders and destroyed contexts', async () => {
  const ctx = createOfflineContext();
  const a = new MLGraphBuilder(ctx);
  const b = new MLGraphBuilder(ctx);
  const x = a.input('x', f32(2));
  assert.throws(() => b.relu(x, { label: 'L' }), { name: 'TypeError', message: '[L] relu: input was created by another MLGraphBuilder' });
  await assert.rejects(a.build({ x }), /output 'x' is a graph input/);
  const y = a.relu(x);
  await assert.rejects(a.build({ y }), { name: 'NotSupportedError' }, 'offline: nothing runs it');
  assert.throws(() => a.relu(x), { name: 'InvalidStateError' });
  await assert.rejects(a.build({ y }), { name: 'InvalidStateError' });
  assert.throws(() => a.relu(3), TypeError, 'argument conversion comes first: TypeError, not InvalidStateError');
  ctx.destroy();
  assert.throws(() => new MLGraphBuilder(ctx), { name: 'InvalidStateError' });
});

test('constants: byte length and the typed array must match the data type', () => {
  const b = new MLGraphBuilder(createOfflineContext());
  assert.throws(() => b.constant(f32(2, 3), new Float32Array(5)), /needs exactly 24/);
  assert.throws(() => b.constant({ dataType: 'float16', shape: [2] }, new Float32Array(1)), /Float32Array cannot hold float16/);
  assert.equal(b.constant({ dataType: 'float16', shape: [2] }, new Uint16Array(2)).dataType, 'float16');
  assert.equal(b.constant({ dataType: 'int64', shape: [2] }, new ArrayBuffer(16)).dataType, 'int64');
  assert.deepEqual(b.constant('float32', 1.5).shape, []);
  assert.throws(() => b.constant(f32(2, 0), new Float32Array(0)), /every dimension must be positive/);
  assert.throws(() => b.input('x', { dataType: 'float64', shape: [1] }), /'float64' is not a valid MLOperandDataType/);
  b.input('x', f32(1));
  assert.throws(() => b.input('x', f32(1)), /already used/);
});

test("the context's limits narrow what the builder accepts (opSupportLimits from the service)", () => {
  const limits = {
    preferredInputLayout: 'nchw', maxTensorByteLength: 1024,
    input: { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } },
    constant: { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } },
    output: { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } },
    operators: { relu: { input: { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } }, output: { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } } } },
  };
  const b = new MLGraphBuilder(createOfflineContext(limits));
  const x = b.input('x', f32(4));
  assert.equal(b.relu(x).dataType, 'float32');
  assert.throws(() => b.sigmoid(x), /sigmoid: input: data type float32 is not supported by this context; supported: none/);
  assert.throws(() => b.input('y', { dataType: 'float16', shape: [1] }), /not supported by this context/);
  assert.throws(() => b.input('z', f32(1024)), /byte length 4096 exceeds the limit 1024/);
  assert.throws(() => b.input('r', f32(1, 1, 1, 1, 1)), /rank 5 is more than this context supports \(4\)/);
});
