// Runs WPT conformance graphs (testdata/webnn-wpt/conformance/*.json) through any WebNN implementation, in the
// page, the way the WPT harness's buildAndExecuteGraph does (SUITE-README "Building the graph"), and compares
// with the suite's tolerance rules (SUITE-README "How to compare results"). A port of anneau-conformance's
// ConformanceRunner, ValueCodec and Tolerance. Runs in browsers and in Node (for its own unit tests).

// ------------------------------------------------------------------------------------------ ValueCodec

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** A JSON element (number, or a string "NaN", "-0", "Infinity", "123") as a JS number. */
export function toDouble(v) {
  if (v === null || v === undefined) throw new Error('a value is null (NaN and Infinity must be written as strings)');
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const d = Number(v.trim());
    if (Number.isNaN(d) && v.trim() !== 'NaN') throw new Error(`'${v}' is not a number`);
    return d;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error('expected a number, got ' + JSON.stringify(v));
}

/** The exact integer a JSON element holds (integral number or decimal string), else null. */
export function exactInteger(v) {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return BigInt(v.trim());
  return null;
}

/**
 * The WPT toHalf(): the double is first stored into a float32, then cut to half precision keeping one extra
 * mantissa bit, which is added back (round half up in magnitude); exponents below 2^-24 flush to zero.
 */
export function toHalf(value) {
  F32[0] = value;
  const x = U32[0];
  let bits = (x >>> 16) & 0x8000;
  let m = (x >>> 12) & 0x07ff;
  const e = (x >>> 23) & 0xff;
  if (e < 103) return bits;
  if (e > 142) {
    bits |= 0x7c00;
    if (e === 255 && (x & 0x007fffff) !== 0) bits |= 1;
    return bits;
  }
  if (e < 113) {
    m |= 0x0800;
    bits |= (m >> (114 - e)) + ((m >> (113 - e)) & 1);
    return bits;
  }
  bits |= ((e - 112) << 10) | (m >> 1);
  bits += m & 1;
  return bits & 0xffff;
}

export function halfToDouble(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** JS ToInt32-style store into `bits` (truncate, wrap; NaN/Inf give 0), as a BigInt. */
export function wrapToInteger(d, bits, signed) {
  if (!Number.isFinite(d)) return 0n;
  const t = BigInt(Math.trunc(d));
  return signed ? BigInt.asIntN(bits, t) : BigInt.asUintN(bits, t);
}

function int64Bits(v) {
  const bi = exactInteger(v);
  if (bi !== null) return BigInt.asIntN(64, bi);
  return wrapToInteger(toDouble(v), 64, true);
}

export function elements(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

export function byteLength(type, n) {
  return { float32: 4, float16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, int8: 1, uint8: 1 }[type] * n || Math.ceil(n / 2);
}

/** The bytes of `data` (an array of n values, or one scalar that fills the tensor) stored as `type`. */
export function encode(type, data, n) {
  const scalar = !Array.isArray(data);
  if (!scalar && data.length !== n) throw new Error(`'data' has ${data.length} values, the shape needs ${n}`);
  const at = (i) => (scalar ? data : data[i]);
  let out;
  switch (type) {
    case 'float32': out = new Float32Array(n); for (let i = 0; i < n; i++) out[i] = toDouble(at(i)); break;
    case 'float16': out = new Uint16Array(n); for (let i = 0; i < n; i++) out[i] = toHalf(toDouble(at(i))); break;
    case 'int32': out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = Number(wrapToInteger(toDouble(at(i)), 32, true)); break;
    case 'uint32': out = new Uint32Array(n); for (let i = 0; i < n; i++) out[i] = Number(wrapToInteger(toDouble(at(i)), 32, false)); break;
    case 'int8': out = new Int8Array(n); for (let i = 0; i < n; i++) out[i] = Number(wrapToInteger(toDouble(at(i)), 8, true)); break;
    case 'uint8': out = new Uint8Array(n); for (let i = 0; i < n; i++) out[i] = Number(wrapToInteger(toDouble(at(i)), 8, false)); break;
    case 'int64': out = new BigInt64Array(n); for (let i = 0; i < n; i++) out[i] = int64Bits(at(i)); break;
    case 'uint64': out = new BigUint64Array(n); for (let i = 0; i < n; i++) out[i] = BigInt.asUintN(64, int64Bits(at(i))); break;
    case 'int4':
    case 'uint4': {
      out = new Uint8Array(Math.ceil(n / 2));
      for (let i = 0; i < n; i++) {
        const nibble = Number(wrapToInteger(toDouble(at(i)), 4, false));
        out[i >> 1] |= (i & 1) === 0 ? nibble : nibble << 4;
      }
      break;
    }
    default: throw new Error('unknown data type ' + type);
  }
  return out;
}

/** The typed array a WPT test would pass to constant()/writeTensor() for `type` (its bytes). */
export function typedArrayFor(type, bytes) {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (type) {
    case 'float32': return new Float32Array(buf);
    case 'float16': return new Uint16Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'uint64': return new BigUint64Array(buf);
    case 'int8': case 'int4': return new Int8Array(buf);
    default: return new Uint8Array(buf);
  }
}

function unpackInt4(bytes, i, signed) {
  const v = bytes[i >> 1];
  const nibble = (i & 1) === 0 ? v & 0xf : v >>> 4;
  return signed && (nibble & 0x8) ? nibble - 16 : nibble;
}

/** Element i of an integer tensor as a BigInt (uint64 unsigned). */
function readInteger(type, view, bytes, i) {
  switch (type) {
    case 'int32': return BigInt(view.getInt32(4 * i, true));
    case 'uint32': return BigInt(view.getUint32(4 * i, true));
    case 'int64': return view.getBigInt64(8 * i, true);
    case 'uint64': return view.getBigUint64(8 * i, true);
    case 'int8': return BigInt(view.getInt8(i));
    case 'uint8': return BigInt(view.getUint8(i));
    case 'int4': return BigInt(unpackInt4(bytes, i, true));
    case 'uint4': return BigInt(unpackInt4(bytes, i, false));
    default: throw new Error(type + ' is not an integer type');
  }
}

function readDouble(type, view, bytes, i) {
  if (type === 'float32') return view.getFloat32(4 * i, true);
  if (type === 'float16') return halfToDouble(view.getUint16(2 * i, true));
  return Number(readInteger(type, view, bytes, i));
}

function format(type, view, bytes, i) {
  if (type === 'float16') {
    const h = view.getUint16(2 * i, true);
    return `${halfToDouble(h)} (0x${h.toString(16).padStart(4, '0')})`;
  }
  if (type === 'float32') return String(view.getFloat32(4 * i, true));
  return String(readInteger(type, view, bytes, i));
}

// ------------------------------------------------------------------------------------------ Tolerance

export const MAX_INDEX_TO_VALIDATE = 1000;

/** bits(|x|) as float32, negated for negative x; NaN is the canonical quiet NaN. */
export function float32UlpBits(x) {
  if (Number.isNaN(x)) return 0x7fc00000;
  F32[0] = Math.abs(x);
  return x < 0 ? -U32[0] : U32[0];
}

export function float16Distance(a, b) {
  if ((a & 0x7fff) === 0 && (b & 0x7fff) === 0) return 0;
  return Math.abs(a - b);
}

/** The distance of element i under a tolerance ({metricType, value}); NaN or Infinity when incomparable. */
export function distance(tolerance, type, view, bytes, i, expected) {
  const exact = tolerance.value === null || tolerance.value === undefined;
  if (tolerance.metricType === 'ATOL') return Math.abs(readDouble(type, view, bytes, i) - toDouble(expected));
  switch (type) {
    case 'float32': {
      const a = view.getFloat32(4 * i, true);
      const e = toDouble(expected);
      if (exact) return a === e ? 0 : Infinity;
      if (a === e) return 0;
      return Math.abs(float32UlpBits(a) - float32UlpBits(Math.fround(e)));
    }
    case 'float16': {
      const a = view.getUint16(2 * i, true);
      const e = toDouble(expected);
      if (exact) return halfToDouble(a) === e ? 0 : Infinity;
      return float16Distance(a, toHalf(e));
    }
    case 'int64':
    case 'uint64': {
      const a = readInteger(type, view, bytes, i);
      const e = exactInteger(expected);
      if (e !== null) return Number(a > e ? a - e : e - a);
      const ed = toDouble(expected);
      if (!Number.isFinite(ed)) return Infinity;
      return Math.abs(Number(a) - ed);
    }
    default:
      return Math.abs(Number(readInteger(type, view, bytes, i)) - toDouble(expected));
  }
}

/** Compares actual bytes of `type` (n elements) with the expected JSON data. */
export function compare(tolerance, type, actualBytes, expected, n) {
  const bytes = actualBytes instanceof Uint8Array ? actualBytes : new Uint8Array(actualBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count;
  if (Array.isArray(expected)) {
    if (expected.length !== n) throw new Error(`expected 'data' has ${expected.length} values, the shape has ${n}`);
    count = n;
  } else {
    count = Math.min(MAX_INDEX_TO_VALIDATE, n);
  }
  const exact = tolerance.value === null || tolerance.value === undefined;
  let worst = 0;
  let bad = 0;
  const first = [];
  for (let i = 0; i < count; i++) {
    const e = Array.isArray(expected) ? expected[i] : expected;
    let d = distance(tolerance, type, view, bytes, i, e);
    const ok = exact ? d === 0 : d <= tolerance.value;
    if (Number.isNaN(d)) d = Infinity;
    if (d > worst) worst = d;
    if (!ok) {
      bad++;
      if (first.length < 3) first.push(`[${i}] got ${format(type, view, bytes, i)}, expected ${e} (${tolerance.metricType} ${d})`);
    }
  }
  return { passed: bad === 0, worst, compared: count, mismatches: bad, first };
}

// ------------------------------------------------------------------------------------------ running a graph

/** Wider types that hold every value of `t`, narrowest first (castToSupportedType). */
export function widerTypes(t) {
  return {
    int4: ['int8', 'int32', 'int64'],
    uint4: ['uint8', 'int8', 'int32', 'uint32', 'int64'],
    int8: ['int32', 'int64'],
    uint8: ['int32', 'uint32', 'int64'],
    float16: ['float32'],
    int32: ['int64'],
    uint32: ['uint64', 'int64'],
  }[t] ?? [];
}

/**
 * Runs one WPT graph test on `context` (built with `MLGraphBuilder`). Returns
 * `{status: 'passed'|'failed'|'expected-unsupported'|'known-wrong-expectation', reason, worst, ms}`.
 * `quirks`: the anneau-conformance quirks.json (per-test statuses, legacy operator rules).
 */
export async function runGraphTest(test, context, MLGraphBuilder, quirks) {
  const t0 = performance.now();
  const quirk = quirks?.tests?.find((q) => q.name === test.name && (!q.file || q.file === test.file));
  const expectUnsupported = quirk?.status === 'expected-unsupported';
  const tensors = [];
  let graph = null;
  let phase = 'building the graph';
  try {
    const limits = context.opSupportLimits();
    const ioSupports = (kind, t) => !limits[kind] || limits[kind].dataTypes.includes(t);
    const wider = (kind, t) => {
      const cast = limits.cast;
      for (const w of widerTypes(t)) {
        if (!ioSupports(kind, w)) continue;
        if (cast) {
          const from = kind === 'output' ? t : w;
          const to = kind === 'output' ? w : t;
          if (!cast.input.dataTypes.includes(from) || !cast.output.dataTypes.includes(to)) continue;
        }
        return w;
      }
      throw new DOMException(`castToSupportedType: neither ${t} nor a wider type is supported for graph ${kind}s`, 'NotSupportedError');
    };
    const builder = new MLGraphBuilder(context);
    const inputs = test.graph.inputs;
    const intermediates = new Map();
    const declared = new Map();
    const feeds = new Map();
    const operand = (name) => {
      const spec = inputs[name];
      if (!spec) return intermediates.get(name);
      const constant = spec.constant === true;
      if (!constant && declared.has(name)) return declared.get(name);
      const d = spec.descriptor;
      let fed = d.dataType;
      const kind = constant ? 'constant' : 'input';
      if (test.castToSupportedType && !ioSupports(kind, fed)) fed = wider(kind, fed);
      const bytes = encode(fed, spec.data, elements(d.shape));
      const desc = { dataType: fed, shape: d.shape };
      let op;
      if (constant) op = builder.constant(desc, typedArrayFor(fed, bytes));
      else {
        op = builder.input(name, desc);
        feeds.set(name, { desc, bytes });
      }
      if (fed !== d.dataType) op = builder.cast(op, d.dataType);
      if (!constant) declared.set(name, op);
      return op;
    };
    const namesOperand = (v) => typeof v === 'string' && (v in inputs || intermediates.has(v));
    const plain = (v) => {
      if (Array.isArray(v)) return v.map(plain);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      if (typeof v === 'string') {
        if (/^-?\d+$/.test(v)) return BigInt(v); // BigInt literals of the JS source
        if (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0') return Number(v);
      }
      return v;
    };
    const resolve = (key, v) => {
      if (key === 'options' && v && typeof v === 'object' && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, namesOperand(x) ? operand(x) : plain(x)]));
      }
      if (namesOperand(v)) return operand(v);
      if (Array.isArray(v) && v.length > 0 && v.every(namesOperand)) return v.map(operand);
      return plain(v);
    };
    for (const [i, op] of test.graph.operators.entries()) {
      phase = `building operator #${i + 1} '${op.name}'`;
      const args = [];
      for (const a of op.arguments) for (const [k, v] of Object.entries(a)) args.push(resolve(k, v));
      const rule = quirks?.operatorRules?.find((r) => r.operator === op.name);
      if (rule && rule.rule === 'default-axis-last') {
        const k = rule.argumentIndex;
        const missing = args.length <= k || (args[k] !== null && typeof args[k] === 'object');
        if (missing && args.length > 0 && args[0]?.shape) args.splice(k, 0, args[0].shape.length - 1);
      }
      if (typeof builder[op.name] !== 'function') throw new TypeError(`the builder has no operator '${op.name}'`);
      const results = builder[op.name](...args);
      if (typeof op.outputs === 'string') intermediates.set(op.outputs, results);
      else {
        if (!Array.isArray(results) || results.length !== op.outputs.length) {
          throw new Error(`${op.name} returned ${Array.isArray(results) ? results.length : 1} operands, the test names ${op.outputs.length}`);
        }
        op.outputs.forEach((n, k) => intermediates.set(n, results[k]));
      }
    }
    phase = 'checking the output operands';
    const outputs = {};
    const readAs = {};
    for (const [name, exp] of Object.entries(test.graph.expectedOutputs)) {
      let o = intermediates.get(name);
      if (!o) throw new Error(`expected output '${name}' is not produced by any operator`);
      const want = exp.descriptor;
      if (o.dataType !== want.dataType || JSON.stringify(o.shape) !== JSON.stringify(want.shape)) {
        throw new Error(`output '${name}' is ${o.dataType} [${o.shape}], the test expects ${want.dataType} [${want.shape}]`);
      }
      let t = want.dataType;
      if (test.castToSupportedType && !ioSupports('output', t)) {
        t = wider('output', t);
        o = builder.cast(o, t);
      }
      outputs[name] = o;
      readAs[name] = t;
    }
    phase = 'build()';
    graph = await builder.build(outputs);
    phase = 'creating and writing the input tensors';
    const inTensors = {};
    for (const [name, feed] of feeds) {
      const tensor = await context.createTensor({ ...feed.desc, writable: true });
      tensors.push(tensor);
      context.writeTensor(tensor, feed.bytes);
      inTensors[name] = tensor;
    }
    phase = 'creating the output tensors';
    const outTensors = {};
    for (const [name, o] of Object.entries(outputs)) {
      const tensor = await context.createTensor({ dataType: readAs[name], shape: o.shape, readable: true });
      tensors.push(tensor);
      outTensors[name] = tensor;
    }
    phase = 'dispatch';
    context.dispatch(graph, inTensors, outTensors);
    const why = [];
    let worst = 0;
    for (const [name, tensor] of Object.entries(outTensors)) {
      phase = `reading output '${name}'`;
      const actual = await context.readTensor(tensor);
      const c = compare(test.tolerance, readAs[name], actual, test.graph.expectedOutputs[name].data, elements(outputs[name].shape));
      worst = Math.max(worst, c.worst);
      if (!c.passed) {
        why.push(`output '${name}': ${c.mismatches} of ${c.compared} elements outside ${test.tolerance.metricType} `
          + `${test.tolerance.value}, worst ${c.worst}: ${c.first.join(', ')}`);
      }
    }
    const ms = performance.now() - t0;
    if (expectUnsupported) return { status: 'failed', reason: `expected ${quirk.expectError} (${quirk.reason}), but the graph built and ran`, worst, ms };
    if (quirk?.status === 'known-wrong-expectation') return { status: 'known-wrong-expectation', reason: quirk.reason, worst, ms };
    return why.length ? { status: 'failed', reason: why.join('; '), worst, ms } : { status: 'passed', worst, ms };
  } catch (e) {
    const ms = performance.now() - t0;
    const name = e?.name ?? 'Error';
    if (expectUnsupported && name === quirk.expectError) return { status: 'expected-unsupported', reason: `${quirk.reason}; threw ${name}`, ms };
    return { status: 'failed', reason: `${name}: ${e?.message ?? e} (while ${phase})`, ms };
  } finally {
    for (const t of tensors) t.destroy();
    graph?.destroy();
  }
}
