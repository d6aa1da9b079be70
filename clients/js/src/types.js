// Data types, number conversions and WebIDL argument conversions shared by the builder and its validation.
// Everything here is synchronous and has no dependencies (it runs in pages and in Node).

/** MLOperandDataType, plus int4/uint4 as the extension Chromium and the WPT suite use (two per byte, low nibble first). */
export const DATA_TYPES = Object.freeze({
  float32: { bits: 32, float: true, signed: true },
  float16: { bits: 16, float: true, signed: true },
  int32: { bits: 32, float: false, signed: true },
  uint32: { bits: 32, float: false, signed: false },
  int64: { bits: 64, float: false, signed: true },
  uint64: { bits: 64, float: false, signed: false },
  int8: { bits: 8, float: false, signed: true },
  uint8: { bits: 8, float: false, signed: false },
  int4: { bits: 4, float: false, signed: true },
  uint4: { bits: 4, float: false, signed: false },
});

/** The eight types of the spec's MLOperandDataType ("any" in the spec tables). */
export const SPEC_DATA_TYPES = Object.freeze(['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8']);

export const ENUMS = Object.freeze({
  MLOperandDataType: Object.keys(DATA_TYPES),
  MLInputOperandLayout: ['nchw', 'nhwc'],
  MLConv2dFilterOperandLayout: ['oihw', 'hwio', 'ohwi', 'ihwo'],
  MLConvTranspose2dFilterOperandLayout: ['iohw', 'hwoi', 'ohwi'],
  MLRoundingType: ['floor', 'ceil'],
  MLInterpolationMode: ['nearest-neighbor', 'linear'],
  MLPaddingMode: ['constant', 'edge', 'reflection'],
  MLRecurrentNetworkDirection: ['forward', 'backward', 'both'],
  MLGruWeightLayout: ['zrn', 'rzn'],
  MLLstmWeightLayout: ['iofg', 'ifgo'],
  MLRecurrentNetworkActivation: ['relu', 'sigmoid', 'tanh'],
  MLPowerPreference: ['default', 'high-performance', 'low-power'],
});

/** Largest valid dimension (1 to 2^32-1). */
export const MAX_DIMENSION = 0xFFFFFFFF;

/** Bytes taken by `elements` elements of `dataType` (4-bit types packed, rounded up). */
export function byteLength(dataType, elements) {
  const bits = DATA_TYPES[dataType].bits;
  return bits === 4 ? Math.ceil(elements / 2) : elements * (bits / 8);
}

export function elementCount(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** "[1, 2, 3]", as the Java validators print shapes (messages match the service's). */
export function fmt(shape) {
  return '[' + Array.from(shape, (v) => String(v)).join(', ') + ']';
}

// ------------------------------------------------------------------------------------------ float16

/** float16 bits -> number. */
export function halfToNumber(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

function roundHalfEven(x) {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** number -> float16 bits, one correct rounding to nearest even (overflow to infinity, NaN kept). */
export function numberToHalf(d) {
  if (Number.isNaN(d)) return 0x7e00;
  const sign = d < 0 || Object.is(d, -0) ? 0x8000 : 0;
  const a = Math.abs(d);
  if (a >= 65520) return sign | 0x7c00; // 65504 is the largest half; 65520 is the midpoint to 2^16
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 carries into the exponent)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  let mant = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (mant === 1024) {
    mant = 0;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | mant;
}

// ------------------------------------------------------------------------------------------ the spec's "cast" of MLNumber

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A double that rounds like `x` would with one rounding to 24 or 11 bits: exact, or "round to odd" when not. */
function bigintToOddDouble(x) {
  const d = Number(x);
  const back = BigInt(d);
  if (back === x) return d;
  F64[0] = Math.abs(d);
  if ((back > x) === (x > 0n)) U64[0] -= 1n; // rounded away from zero: step back toward zero
  U64[0] |= 1n;                              // sticky bit: the value lies strictly between two doubles
  return x < 0n ? -F64[0] : F64[0];
}

/** The spec's cast of an MLNumber into float32 or float16 (round to nearest even), as a number. */
export function castToFloat(x, dataType) {
  const d = typeof x === 'bigint' ? bigintToOddDouble(x) : Number(x);
  if (dataType === 'float16') return halfToNumber(numberToHalf(d));
  return Math.fround(d);
}

export function integerRange(dataType) {
  const t = DATA_TYPES[dataType];
  if (t.signed) return [-(1n << BigInt(t.bits - 1)), (1n << BigInt(t.bits - 1)) - 1n];
  return [0n, (1n << BigInt(t.bits)) - 1n];
}

/** The spec's cast of an MLNumber into an integer type: NaN 0, clamp to the range, round half to even. A bigint. */
export function castToInteger(x, dataType) {
  const [lo, hi] = integerRange(dataType);
  if (typeof x === 'bigint') return x < lo ? lo : x > hi ? hi : x;
  const d = Number(x);
  if (Number.isNaN(d)) return 0n;
  if (d === -Infinity) return lo;
  if (d === Infinity) return hi;
  const r = BigInt(roundHalfEven(d));
  return r < lo ? lo : r > hi ? hi : r;
}

// ------------------------------------------------------------------------------------------ WebIDL conversions

/** WebIDL ToNumber: a BigInt or Symbol is a TypeError. */
export function idlNumber(v, what, fail) {
  if (typeof v === 'bigint') throw fail(`${what} must be a number, got a BigInt (${v}n)`);
  if (typeof v === 'symbol') throw fail(`${what} must be a number, got a Symbol`);
  return Number(v);
}

function integerPart(d) {
  const t = Math.trunc(d);
  return Object.is(t, -0) ? 0 : t;
}

/** [EnforceRange] unsigned long. */
export function idlUnsignedLong(v, what, fail) {
  const d = idlNumber(v, what, fail);
  if (!Number.isFinite(d)) throw fail(`${what} must be a finite number, got ${d}`);
  const i = integerPart(d);
  if (i < 0 || i > 0xFFFFFFFF) throw fail(`${what} (${d}) is outside the unsigned long range [0, 4294967295]`);
  return i;
}

/** [EnforceRange] long. */
export function idlLong(v, what, fail) {
  const d = idlNumber(v, what, fail);
  if (!Number.isFinite(d)) throw fail(`${what} must be a finite number, got ${d}`);
  const i = integerPart(d);
  if (i < -0x80000000 || i > 0x7FFFFFFF) throw fail(`${what} (${d}) is outside the long range`);
  return i;
}

/** Restricted double (finite). */
export function idlDouble(v, what, fail) {
  const d = idlNumber(v, what, fail);
  if (!Number.isFinite(d)) throw fail(`${what} must be a finite number, got ${d}`);
  return d;
}

/** Restricted float (finite, then rounded to float32; overflow is a TypeError too). */
export function idlFloat(v, what, fail) {
  const d = idlDouble(v, what, fail);
  const f = Math.fround(d);
  if (!Number.isFinite(f)) throw fail(`${what} (${d}) is outside the float range`);
  return f;
}

/** MLNumber = (bigint or unrestricted double): a bigint stays one, anything else goes through ToNumeric. */
export function idlMLNumber(v, what, fail) {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'symbol') throw fail(`${what} must be a number or a BigInt, got a Symbol`);
  if (v !== null && typeof v === 'object') {
    const p = v.valueOf();
    if (typeof p === 'bigint') return p;
  }
  return Number(v);
}

export function idlBoolean(v) {
  return Boolean(v);
}

export function idlEnum(v, enumName, what, fail) {
  if (typeof v === 'symbol') throw fail(`${what} must be a string`);
  const s = String(v);
  const values = ENUMS[enumName];
  if (!values.includes(s)) throw fail(`${what}: '${s}' is not a valid ${enumName}; expected one of ${values.join(', ')}`);
  return s;
}

/** sequence<T>: any iterable object (not a string). */
export function idlSequence(v, what, fail, each) {
  if (v === null || typeof v !== 'object' || typeof v[Symbol.iterator] !== 'function') {
    throw fail(`${what} must be a sequence (an array), got ${describe(v)}`);
  }
  const out = [];
  let i = 0;
  for (const x of v) {
    out.push(each(x, `${what}[${i}]`));
    i++;
  }
  return out;
}

/** A dictionary argument: undefined/null is empty; anything else must be an object. */
export function idlDictionary(v, what, fail) {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') throw fail(`${what} must be a dictionary (an object), got ${describe(v)}`);
  return v;
}

export function describe(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '...' : v}'`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return v.constructor && v.constructor.name ? `a ${v.constructor.name}` : 'an object';
  return String(v);
}
