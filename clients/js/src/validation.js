// Eager validation and shape inference of MLGraphBuilder operators, in the page, synchronously, as a native
// implementation does. A port of the service's Java validators (anneau-core dev.anneau.webnn.ops.*Ops and
// OpCheck): the same rules, the same data (the spec's per-operator table, src/op-constraints.js) and the same
// messages, so an error reads the same whether the page or the service finds it.
//
// The operator signatures (argument kinds, options dictionaries) are data too: SIGNATURES below drives the
// WebIDL argument conversion and the wire encoding; INFER holds one validation function per operator.

import { OP_CONSTRAINTS_TSV } from './op-constraints.js';
import {
  DATA_TYPES, SPEC_DATA_TYPES, MAX_DIMENSION, byteLength, elementCount, fmt, castToFloat, castToInteger,
  idlUnsignedLong, idlLong, idlDouble, idlFloat, idlMLNumber, idlBoolean, idlEnum, idlSequence, idlDictionary, describe,
} from './types.js';

export const MAX_RANK = 8;
/** The spec's "valid tensor count" upper bound (concat inputs, split outputs). */
export const MAX_TENSOR_COUNT = 8192;

// ------------------------------------------------------------------------------------------ the spec table

function normalizeOperand(raw) {
  if (raw.startsWith("inputs's")) return 'inputs';
  const space = raw.indexOf(' ');
  return space < 0 ? raw : raw.slice(0, space);
}

function parseTypes(s) {
  s = s.trim();
  if (s.startsWith('same as ')) return { types: null, sameAs: normalizeOperand(s.slice(8)) };
  if (s === 'any') return { types: new Set(SPEC_DATA_TYPES), sameAs: null }; // int4/uint4 are an extension
  return { types: new Set(s.split(',').map((t) => t.trim())), sameAs: null };
}

function parseRanks(s) {
  s = s.trim();
  if (s.startsWith('same as ')) return { min: -1, max: -1, sameAs: normalizeOperand(s.slice(8)) };
  if (s === 'N') return { min: 0, max: MAX_RANK, sameAs: null };
  const to = s.indexOf(' to ');
  if (to >= 0) {
    const hi = s.slice(to + 4).trim();
    return { min: Number(s.slice(0, to)), max: hi === 'N' ? MAX_RANK : Number(hi), sameAs: null };
  }
  return { min: Number(s), max: Number(s), sameAs: null };
}

/** operator -> operand -> rule, in table order (inputs first, then outputs). */
export const TABLE = (() => {
  const all = new Map();
  for (const line of OP_CONSTRAINTS_TSV.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split('\t');
    const operand = normalizeOperand(f[1]);
    const allowed = parseTypes(f[2]);
    const ranks = parseRanks(f[3]);
    const required = parseTypes(f[4]);
    const requiredRanks = parseRanks(f[5]);
    const rule = {
      operator: f[0], operand, allowedTypes: allowed.types, sameTypeAs: allowed.sameAs,
      minRank: ranks.min, maxRank: ranks.max, sameRankAs: ranks.sameAs,
      requiredTypes: required.types ?? new Set(), requiredMinRank: requiredRanks.min, requiredMaxRank: requiredRanks.max,
    };
    if (!all.has(f[0])) all.set(f[0], new Map());
    all.get(f[0]).set(operand, rule);
  }
  return all;
})();

/** The 95 operators of the spec, in table order. */
export const OPERATORS = Object.freeze([...TABLE.keys()]);

export function rule(operator, operand) {
  return TABLE.get(operator)?.get(operand) ?? null;
}

// ------------------------------------------------------------------------------------------ what a context supports

/**
 * Data types the spec allows for one operand (the "same as" links resolved), with int4/uint4 where Anneau
 * carries them as an extension ((de)quantizeLinear, cast, graph inputs/constants/outputs). Port of SpecSupport.
 */
export function specAllowed(operator, operand) {
  if (operator === 'input' || operator === 'constant' || operator === 'output') return new Set(Object.keys(DATA_TYPES));
  const rules = TABLE.get(operator);
  let r = rules?.get(operand);
  for (let hops = 0; r && !r.allowedTypes && hops < 8; hops++) r = rules.get(r.sameTypeAs);
  if (!r || !r.allowedTypes) return new Set();
  const set = new Set(r.allowedTypes);
  if ((operator === 'quantizeLinear' && operand === 'zeroPoint')
      || (operator === 'dequantizeLinear' && (operand === 'input' || operand === 'zeroPoint'))) {
    set.add('int4');
    set.add('uint4');
  }
  if (operator === 'cast') for (const t of Object.keys(DATA_TYPES)) set.add(t);
  return set;
}

/** A context that supports everything the spec allows (for validation without a service, e.g. in tests). */
export function specSupport() {
  return {
    dataTypes: (operator, operand) => specAllowed(operator, operand),
    maxRank: MAX_RANK,
    maxTensorByteLength: 2 ** 31 - 1,
    preferredInputLayout: 'nchw',
  };
}

/**
 * What a context supports, from the service's opSupportLimits reply (docs/bridge-protocol.md):
 * `{preferredInputLayout, maxTensorByteLength, input, constant, output, operators: {op: {operand: {dataTypes, rankRange}}}}`.
 * An operator the service does not list supports no data type at all.
 */
export function supportFromLimits(limits) {
  const ops = limits.operators ?? {};
  let maxRank = 0;
  for (const k of ['input', 'constant', 'output']) maxRank = Math.max(maxRank, limits[k]?.rankRange?.max ?? 0);
  return {
    dataTypes(operator, operand) {
      if (operator === 'input' || operator === 'constant' || operator === 'output') {
        const l = limits[operator];
        return l ? new Set(l.dataTypes) : null;
      }
      const op = ops[operator];
      if (!op) return new Set();
      const l = op[operand];
      return l ? new Set(l.dataTypes) : null;
    },
    maxRank: maxRank || MAX_RANK,
    maxTensorByteLength: limits.maxTensorByteLength ?? 2 ** 31 - 1,
    preferredInputLayout: limits.preferredInputLayout ?? 'nchw',
  };
}

// ------------------------------------------------------------------------------------------ one builder call

/** An operand type: data type plus dimensions, validated. */
export function tensorType(dataType, shape) {
  return Object.freeze({ dataType, shape: Object.freeze(Array.from(shape)) });
}

function rankText(r) {
  if (r.minRank === r.maxRank) return String(r.minRank);
  if (r.maxRank >= MAX_RANK) return 'at least ' + r.minRank;
  return `between ${r.minRank} and ${r.maxRank}`;
}

/**
 * Validation state of one builder call: the operator, the caller's label and the context's support.
 * Produces labelled TypeErrors: `[label] operator: message`. Port of OpCheck.
 */
export class OpCheck {
  constructor(operator, label, support) {
    this.operator = operator;
    this.label = label ?? '';
    this.support = support;
    this.seen = new Map();
  }

  prefix() {
    return (this.label ? `[${this.label}] ` : '') + this.operator + ': ';
  }

  error(message) {
    return new TypeError(this.prefix() + message);
  }

  require(condition, message) {
    if (!condition) throw this.error(typeof message === 'function' ? message() : message);
  }

  /** Checks one input operand type against the spec table and the context's support. */
  operand(name, type) {
    if (!type) return null;
    const r = rule(this.operator, name);
    if (r) {
      if (r.allowedTypes) {
        const ok = r.allowedTypes.has(type.dataType)
          || ((type.dataType === 'int4' || type.dataType === 'uint4') && specAllowed(this.operator, r.operand).has(type.dataType));
        if (!ok) {
          throw this.error(`${name}: data type ${type.dataType} is not allowed; expected one of ${[...r.allowedTypes].join(', ')}`);
        }
      } else {
        const other = this.seen.get(r.sameTypeAs);
        if (other && other.dataType !== type.dataType) {
          throw this.error(`${name}: data type ${type.dataType} must be the same as ${r.sameTypeAs}'s (${other.dataType})`);
        }
      }
      if (r.sameRankAs) {
        const other = this.seen.get(r.sameRankAs);
        if (other && other.shape.length !== type.shape.length) {
          throw this.error(`${name}: rank ${type.shape.length} must be the same as ${r.sameRankAs}'s rank (${other.shape.length})`);
        }
      } else if (type.shape.length < r.minRank || type.shape.length > r.maxRank) {
        throw this.error(`${name}: rank must be ${rankText(r)}, got ${type.shape.length} (shape ${fmt(type.shape)})`);
      }
    }
    const backend = this.support.dataTypes(this.operator, name);
    if (backend && !backend.has(type.dataType)) {
      throw this.error(`${name}: data type ${type.dataType} is not supported by this context; supported: `
        + (backend.size === 0 ? 'none (the service lacks this operator)' : [...backend].join(', ')));
    }
    if (type.shape.length > this.support.maxRank) {
      throw this.error(`${name}: rank ${type.shape.length} is more than this context supports (${this.support.maxRank})`);
    }
    this.seen.set(name, type);
    return type;
  }

  /** An output type: each dimension a valid dimension, the byte length within the context's limit. */
  output(dataType, dims) {
    let elements = 1;
    for (const d of dims) {
      if (!(d > 0)) throw this.error(`the output shape ${fmt(dims)} has a dimension that is not positive`);
      if (d > MAX_DIMENSION) throw this.error(`the output dimension ${d} is larger than 2^32-1`);
      elements *= d;
    }
    if (!Number.isSafeInteger(elements)) throw this.error(`the output size is too large (shape ${fmt(dims)})`);
    const bytes = byteLength(dataType, elements);
    if (bytes > this.support.maxTensorByteLength) {
      throw this.error(`the output byte length ${bytes} exceeds the limit ${this.support.maxTensorByteLength} (shape ${fmt(dims)})`);
    }
    if (dims.length > this.support.maxRank) {
      throw this.error(`the output rank ${dims.length} is more than this context supports (${this.support.maxRank})`);
    }
    return tensorType(dataType, dims);
  }

  same(t) {
    return this.output(t.dataType, t.shape);
  }

  axis(what, axis, rank) {
    this.require(axis >= 0 && axis < rank, `${what} (${axis}) must be in the range [0, ${rank})`);
    return axis;
  }

  axes(what, axes, rank) {
    const used = new Set();
    for (const a of axes) {
      this.require(a >= 0 && a < rank, `${what}: axis ${a} must be in the range [0, ${rank})`);
      this.require(!used.has(a), `${what}: axis ${a} is listed twice`);
      used.add(a);
    }
    return Array.from(axes);
  }
}

// ------------------------------------------------------------------------------------------ signatures

// Argument kinds: ['operand', name], ['operands', name], ['ulong', name], ['dataType', name], ['splits', name],
// ['options', dictionary]. Options member kinds: operand, ulong, long, float, double, bool, number (MLNumber),
// ulongs, floats, enum:<Name>, enums:<Name>.
const OPERATOR_OPTIONS = {};
export const DICTS = {
  MLOperatorOptions: OPERATOR_OPTIONS,
  MLClampOptions: { minValue: 'number', maxValue: 'number' },
  MLEluOptions: { alpha: 'double' },
  MLHardSigmoidOptions: { alpha: 'double', beta: 'double' },
  MLLeakyReluOptions: { alpha: 'double' },
  MLLinearOptions: { alpha: 'double', beta: 'double' },
  MLArgMinMaxOptions: { keepDimensions: 'bool', outputDataType: 'enum:MLOperandDataType' },
  MLReduceOptions: { axes: 'ulongs', keepDimensions: 'bool' },
  MLCumulativeSumOptions: { exclusive: 'bool', reversed: 'bool' },
  MLBatchNormalizationOptions: { scale: 'operand', bias: 'operand', axis: 'ulong', epsilon: 'double' },
  MLInstanceNormalizationOptions: { scale: 'operand', bias: 'operand', epsilon: 'double', layout: 'enum:MLInputOperandLayout' },
  MLLayerNormalizationOptions: { scale: 'operand', bias: 'operand', axes: 'ulongs', epsilon: 'double' },
  MLConv2dOptions: {
    padding: 'ulongs', strides: 'ulongs', dilations: 'ulongs', groups: 'ulong', inputLayout: 'enum:MLInputOperandLayout',
    filterLayout: 'enum:MLConv2dFilterOperandLayout', bias: 'operand',
  },
  MLConvTranspose2dOptions: {
    padding: 'ulongs', strides: 'ulongs', dilations: 'ulongs', outputPadding: 'ulongs', outputSizes: 'ulongs', groups: 'ulong',
    inputLayout: 'enum:MLInputOperandLayout', filterLayout: 'enum:MLConvTranspose2dFilterOperandLayout', bias: 'operand',
  },
  MLPool2dOptions: {
    windowDimensions: 'ulongs', padding: 'ulongs', strides: 'ulongs', dilations: 'ulongs', layout: 'enum:MLInputOperandLayout',
    outputShapeRounding: 'enum:MLRoundingType', roundingType: 'enum:MLRoundingType', outputSizes: 'ulongs',
  },
  MLResample2dOptions: { mode: 'enum:MLInterpolationMode', scales: 'floats', sizes: 'ulongs', axes: 'ulongs' },
  MLGemmOptions: { c: 'operand', alpha: 'double', beta: 'double', aTranspose: 'bool', bTranspose: 'bool' },
  MLGatherOptions: { axis: 'ulong' },
  MLScatterOptions: { axis: 'ulong' },
  MLPadOptions: { mode: 'enum:MLPaddingMode', value: 'number' },
  MLSliceOptions: { strides: 'ulongs' },
  MLSplitOptions: { axis: 'ulong' },
  MLTransposeOptions: { permutation: 'ulongs' },
  MLReverseOptions: { axes: 'ulongs' },
  MLTriangularOptions: { upper: 'bool', diagonal: 'long' },
  MLGruOptions: {
    bias: 'operand', recurrentBias: 'operand', initialHiddenState: 'operand', resetAfter: 'bool', returnSequence: 'bool',
    direction: 'enum:MLRecurrentNetworkDirection', layout: 'enum:MLGruWeightLayout', activations: 'enums:MLRecurrentNetworkActivation',
  },
  MLGruCellOptions: {
    bias: 'operand', recurrentBias: 'operand', resetAfter: 'bool', layout: 'enum:MLGruWeightLayout',
    activations: 'enums:MLRecurrentNetworkActivation',
  },
  MLLstmOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand', initialHiddenState: 'operand',
    initialCellState: 'operand', returnSequence: 'bool', direction: 'enum:MLRecurrentNetworkDirection',
    layout: 'enum:MLLstmWeightLayout', activations: 'enums:MLRecurrentNetworkActivation',
  },
  MLLstmCellOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand', layout: 'enum:MLLstmWeightLayout',
    activations: 'enums:MLRecurrentNetworkActivation',
  },
};

const op = (name) => ['operand', name];
const ulong = (name) => ['ulong', name];
const opts = (dict = 'MLOperatorOptions') => ['options', dict];

/** Every operator's IDL arguments, in order; the options dictionary comes last. */
export const SIGNATURES = (() => {
  const s = {};
  for (const n of ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow', 'equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser',
    'lesserOrEqual', 'logicalAnd', 'logicalOr', 'logicalXor']) s[n] = [op('a'), op('b'), opts()];
  for (const n of ['logicalNot', 'isNaN', 'isInfinite']) s[n] = [op('a'), opts()];
  for (const n of ['abs', 'ceil', 'cos', 'erf', 'exp', 'floor', 'identity', 'log', 'neg', 'reciprocal', 'sin', 'sign', 'sqrt', 'tan',
    'roundEven', 'gelu', 'hardSwish', 'relu', 'sigmoid', 'softplus', 'softsign', 'tanh']) s[n] = [op('input'), opts()];
  s.cast = [op('input'), ['dataType', 'type'], opts()];
  s.where = [op('condition'), op('trueValue'), op('falseValue'), opts()];
  s.clamp = [op('input'), opts('MLClampOptions')];
  s.elu = [op('input'), opts('MLEluOptions')];
  s.hardSigmoid = [op('input'), opts('MLHardSigmoidOptions')];
  s.leakyRelu = [op('input'), opts('MLLeakyReluOptions')];
  s.linear = [op('input'), opts('MLLinearOptions')];
  s.prelu = [op('input'), op('slope'), opts()];
  s.softmax = [op('input'), ulong('axis'), opts()];
  s.argMin = [op('input'), ulong('axis'), opts('MLArgMinMaxOptions')];
  s.argMax = [op('input'), ulong('axis'), opts('MLArgMinMaxOptions')];
  for (const n of ['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin', 'reduceProduct',
    'reduceSum', 'reduceSumSquare']) s[n] = [op('input'), opts('MLReduceOptions')];
  s.cumulativeSum = [op('input'), ulong('axis'), opts('MLCumulativeSumOptions')];
  s.batchNormalization = [op('input'), op('mean'), op('variance'), opts('MLBatchNormalizationOptions')];
  s.instanceNormalization = [op('input'), opts('MLInstanceNormalizationOptions')];
  s.layerNormalization = [op('input'), opts('MLLayerNormalizationOptions')];
  s.conv2d = [op('input'), op('filter'), opts('MLConv2dOptions')];
  s.convTranspose2d = [op('input'), op('filter'), opts('MLConvTranspose2dOptions')];
  for (const n of ['averagePool2d', 'l2Pool2d', 'maxPool2d']) s[n] = [op('input'), opts('MLPool2dOptions')];
  s.resample2d = [op('input'), opts('MLResample2dOptions')];
  s.matmul = [op('a'), op('b'), opts()];
  s.gemm = [op('a'), op('b'), opts('MLGemmOptions')];
  s.concat = [['operands', 'inputs'], ulong('axis'), opts()];
  s.expand = [op('input'), ['ulongs', 'newShape'], opts()];
  s.gather = [op('input'), op('indices'), opts('MLGatherOptions')];
  s.gatherElements = [op('input'), op('indices'), opts('MLGatherOptions')];
  s.gatherND = [op('input'), op('indices'), opts()];
  s.scatterElements = [op('input'), op('indices'), op('updates'), opts('MLScatterOptions')];
  s.scatterND = [op('input'), op('indices'), op('updates'), opts()];
  s.pad = [op('input'), ['ulongs', 'beginningPadding'], ['ulongs', 'endingPadding'], opts('MLPadOptions')];
  s.reshape = [op('input'), ['ulongs', 'newShape'], opts()];
  s.slice = [op('input'), ['ulongs', 'starts'], ['ulongs', 'sizes'], opts('MLSliceOptions')];
  s.split = [op('input'), ['splits', 'splits'], opts('MLSplitOptions')];
  s.transpose = [op('input'), opts('MLTransposeOptions')];
  s.reverse = [op('input'), opts('MLReverseOptions')];
  s.tile = [op('input'), ['ulongs', 'repetitions'], opts()];
  s.triangular = [op('input'), opts('MLTriangularOptions')];
  s.gru = [op('input'), op('weight'), op('recurrentWeight'), ulong('steps'), ulong('hiddenSize'), opts('MLGruOptions')];
  s.gruCell = [op('input'), op('weight'), op('recurrentWeight'), op('hiddenState'), ulong('hiddenSize'), opts('MLGruCellOptions')];
  s.lstm = [op('input'), op('weight'), op('recurrentWeight'), ulong('steps'), ulong('hiddenSize'), opts('MLLstmOptions')];
  s.lstmCell = [op('input'), op('weight'), op('recurrentWeight'), op('hiddenState'), op('cellState'), ulong('hiddenSize'),
    opts('MLLstmCellOptions')];
  s.quantizeLinear = [op('input'), op('scale'), op('zeroPoint'), opts()];
  s.dequantizeLinear = [op('input'), op('scale'), op('zeroPoint'), opts()];
  for (const k of Object.keys(s)) Object.freeze(s[k]);
  return Object.freeze(s);
})();

/** The label of a call, read before anything else so that every error carries it. */
export function peekLabel(options) {
  if (options === null || typeof options !== 'object') return '';
  const l = options.label;
  return l === undefined || l === null ? '' : String(l);
}

/**
 * WebIDL conversion of one call's arguments. `env.isOperand(v)` tells MLOperands apart. Returns the converted
 * arguments in IDL order; the options dictionary holds only the members that were given (converted), plus label.
 */
export function convertArguments(operator, rawArgs, check, env) {
  const sig = SIGNATURES[operator];
  const fail = (m) => check.error(m);
  const out = [];
  const args = Array.from(rawArgs);
  sig.forEach(([kind, name], i) => {
    const v = args[i];
    switch (kind) {
      case 'operand':
        out.push(operandArg(v, name, fail, env));
        break;
      case 'operands':
        out.push(idlSequence(v, name, fail, (x, what) => operandArg(x, what, fail, env)));
        break;
      case 'ulong':
        out.push(idlUnsignedLong(v, name, fail));
        break;
      case 'ulongs':
        out.push(idlSequence(v, name, fail, (x, what) => idlUnsignedLong(x, what, fail)));
        break;
      case 'dataType':
        if (v === undefined) throw fail(`${name} is required (an MLOperandDataType)`);
        out.push(idlEnum(v, 'MLOperandDataType', name, fail));
        break;
      case 'splits':
        if (v !== null && typeof v === 'object') out.push(idlSequence(v, name, fail, (x, what) => idlUnsignedLong(x, what, fail)));
        else out.push(idlUnsignedLong(v, name, fail));
        break;
      case 'options':
        out.push(convertOptions(DICTS[name], v, fail, env));
        break;
      default:
        throw new Error('unknown argument kind ' + kind);
    }
  });
  return out;
}

function operandArg(v, name, fail, env) {
  if (v === undefined || v === null) throw fail(`${name} is required and must be an MLOperand`);
  if (!env.isOperand(v)) throw fail(`${name} must be an MLOperand, got ${describe(v)}`);
  return v;
}

function convertOptions(dict, v, fail, env) {
  const o = idlDictionary(v, 'options', fail);
  const out = {};
  // WebIDL reads dictionary members in lexicographic order
  for (const key of Object.keys(dict).sort()) {
    const raw = o[key];
    if (raw === undefined) continue;
    const kind = dict[key];
    const what = 'options.' + key;
    let value;
    if (kind === 'operand') value = operandArg(raw, what, fail, env);
    else if (kind === 'ulong') value = idlUnsignedLong(raw, what, fail);
    else if (kind === 'long') value = idlLong(raw, what, fail);
    else if (kind === 'double') value = idlDouble(raw, what, fail);
    else if (kind === 'float') value = idlFloat(raw, what, fail);
    else if (kind === 'bool') value = idlBoolean(raw);
    else if (kind === 'number') value = idlMLNumber(raw, what, fail);
    else if (kind === 'ulongs') value = idlSequence(raw, what, fail, (x, w) => idlUnsignedLong(x, w, fail));
    else if (kind === 'floats') value = idlSequence(raw, what, fail, (x, w) => idlFloat(x, w, fail));
    else if (kind.startsWith('enums:')) value = idlSequence(raw, what, fail, (x, w) => idlEnum(x, kind.slice(6), w, fail));
    else if (kind.startsWith('enum:')) value = idlEnum(raw, kind.slice(5), what, fail);
    else throw new Error('unknown option kind ' + kind);
    out[key] = value;
  }
  if (o.label !== undefined && o.label !== null) out.label = String(o.label);
  return out;
}

/** Operand-valued arguments and options of a converted call (what the operation reads), in a stable order. */
export function operandsOf(operator, args) {
  const found = [];
  SIGNATURES[operator].forEach(([kind], i) => {
    if (kind === 'operand') found.push(args[i]);
    else if (kind === 'operands') found.push(...args[i]);
    else if (kind === 'options') {
      for (const [k, v] of Object.entries(args[i])) if (DICTS[SIGNATURES[operator][i][1]][k] === 'operand' && v) found.push(v);
    }
  });
  return found;
}

// ------------------------------------------------------------------------------------------ shared rules

/** The bidirectional broadcast of two shapes, or null. */
export function broadcastShapes(a, b) {
  const rank = Math.max(a.length, b.length);
  const out = new Array(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

export function unidirectionallyBroadcastable(from, to) {
  if (from.length > to.length) return false;
  for (let i = 0; i < from.length; i++) {
    const f = from[from.length - 1 - i];
    const t = to[to.length - 1 - i];
    if (f !== t && f !== 1) return false;
  }
  return true;
}

function broadcast(check, an, a, bn, b) {
  const out = broadcastShapes(a, b);
  if (out) return out;
  const rank = Math.max(a.length, b.length);
  for (let i = 0; i < rank; i++) {
    const ia = i - (rank - a.length);
    const ib = i - (rank - b.length);
    const da = ia < 0 ? 1 : a[ia];
    const db = ib < 0 ? 1 : b[ib];
    if (da !== db && da !== 1 && db !== 1) {
      throw check.error(`${an} (shape ${fmt(a)}) and ${bn} (shape ${fmt(b)}) are not broadcastable: at broadcast axis ${i} `
        + `the sizes are ${da} and ${db}; aligned from the last axis, sizes must be equal or 1`);
    }
  }
  throw check.error(`${an} (shape ${fmt(a)}) and ${bn} (shape ${fmt(b)}) are not broadcastable`);
}

function requireSameType(check, an, a, bn, b) {
  if (a.dataType !== b.dataType) throw check.error(`${bn}: data type ${b.dataType} must be the same as ${an}'s (${a.dataType})`);
}

function list(check, name, given, defaults) {
  if (given === undefined) return defaults.slice();
  check.require(given.length === defaults.length,
    `${name} must have ${defaults.length} values, got ${given.length} (${fmt(given)})`);
  return given.slice();
}

function requireNonZero(check, name, values) {
  values.forEach((v, i) => check.require(v !== 0, `${name}[${i}] must be at least 1, got 0 (${name} = ${fmt(values)})`));
}

function effectiveSize(check, what, size, dilation) {
  const v = (size - 1) * dilation + 1;
  check.require(Number.isSafeInteger(v), `the effective ${what} size (${size} - 1) * dilation ${dilation} + 1 overflows`);
  return v;
}

function convOutputSize(input, effective, begin, end, stride, ceil) {
  const numerator = input - effective + begin + end;
  const q = ceil ? Math.ceil(numerator / stride) : Math.floor(numerator / stride);
  return q + 1;
}

function requireValidDimension(check, what, value, detail) {
  check.require(value >= 1 && value <= MAX_DIMENSION,
    () => `the ${what} (${value}) is not a valid dimension (1 to ${MAX_DIMENSION})${detail ? '; ' + detail : ''}`);
}

/** {channels, height, width} axes of a 4-D tensor in a layout. */
function spatialAxes(layout) {
  return layout === 'nhwc' ? [3, 1, 2] : [1, 2, 3];
}

function spatialShape(layout, batches, channels, height, width) {
  return layout === 'nhwc' ? [batches, height, width, channels] : [batches, channels, height, width];
}

function checkDimensions(check, what, dims) {
  dims.forEach((d, i) => {
    check.require(d > 0, `${what}[${i}] is ${d}; every dimension must be greater than 0 (shape ${fmt(dims)})`);
    check.require(d <= MAX_DIMENSION, `${what}[${i}] is ${d}, larger than 2^32-1`);
  });
}

// ------------------------------------------------------------------------------------------ per-operator rules

// Each function gets `c` (with c.check, c.use(name, operand), c.useOptional(name, operand), c.member(name, operand))
// and the converted arguments; it returns the output types.

const INFER = {};

function binary(c, [a, b]) {
  const ta = c.use('a', a);
  const tb = c.use('b', b);
  requireSameType(c.check, 'a', ta, 'b', tb);
  return [c.check.output(ta.dataType, broadcast(c.check, 'a', ta.shape, 'b', tb.shape))];
}

function logical2(c, [a, b]) {
  const ta = c.use('a', a);
  const tb = c.use('b', b);
  requireSameType(c.check, 'a', ta, 'b', tb);
  return [c.check.output('uint8', broadcast(c.check, 'a', ta.shape, 'b', tb.shape))];
}

for (const n of ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow']) INFER[n] = binary;
for (const n of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual', 'logicalAnd', 'logicalOr', 'logicalXor']) {
  INFER[n] = logical2;
}
for (const n of ['logicalNot', 'isNaN', 'isInfinite']) INFER[n] = (c, [a]) => [c.check.output('uint8', c.use('a', a).shape)];
for (const n of ['abs', 'ceil', 'cos', 'erf', 'exp', 'floor', 'identity', 'log', 'neg', 'reciprocal', 'sin', 'sign', 'sqrt', 'tan',
  'roundEven', 'gelu', 'hardSwish', 'relu', 'sigmoid', 'softplus', 'softsign', 'tanh']) {
  INFER[n] = (c, [input]) => [c.check.same(c.use('input', input))];
}

INFER.cast = (c, [input, type]) => {
  const t = c.use('input', input);
  const supported = c.check.support.dataTypes('cast', 'output');
  if (supported && !supported.has(type)) {
    throw c.check.error(`the target data type ${type} is not supported by this context; supported: ${[...supported].join(', ')}`);
  }
  return [c.check.output(type, t.shape)];
};

INFER.where = (c, [condition, trueValue, falseValue]) => {
  const tc = c.use('condition', condition);
  const tt = c.use('trueValue', trueValue);
  const tf = c.use('falseValue', falseValue);
  requireSameType(c.check, 'trueValue', tt, 'falseValue', tf);
  const values = broadcast(c.check, 'trueValue', tt.shape, 'falseValue', tf.shape);
  const out = broadcast(c.check, 'condition', tc.shape, 'the broadcast shape of trueValue and falseValue', values);
  return [c.check.output(tt.dataType, out)];
};

// activations

function floatOption(check, name, value, dflt, dataType) {
  const v = value === undefined ? dflt : value;
  check.require(Number.isFinite(v), `options.${name} must be a finite number, got ${v}`);
  return castToFloat(v, dataType);
}

INFER.clamp = (c, [input, o]) => {
  const t = c.use('input', input);
  const dt = t.dataType;
  if (DATA_TYPES[dt].float) {
    const min = o.minValue === undefined ? -Infinity : castToFloat(o.minValue, dt);
    const max = o.maxValue === undefined ? Infinity : castToFloat(o.maxValue, dt);
    c.check.require(!(min > max), () => `options.minValue (${o.minValue}) must not be greater than options.maxValue (${o.maxValue}) `
      + `(as ${dt}: ${min} > ${max})`);
  } else {
    const min = o.minValue === undefined ? null : castToInteger(o.minValue, dt);
    const max = o.maxValue === undefined ? null : castToInteger(o.maxValue, dt);
    c.check.require(min === null || max === null || min <= max, () => `options.minValue (${o.minValue}) must not be greater than `
      + `options.maxValue (${o.maxValue}) (as ${dt}: ${min} > ${max})`);
  }
  return [c.check.same(t)];
};

INFER.elu = (c, [input, o]) => {
  const t = c.use('input', input);
  floatOption(c.check, 'alpha', o.alpha, 1.0, t.dataType);
  return [c.check.same(t)];
};
INFER.leakyRelu = (c, [input, o]) => {
  const t = c.use('input', input);
  floatOption(c.check, 'alpha', o.alpha, 0.01, t.dataType);
  return [c.check.same(t)];
};
INFER.hardSigmoid = (c, [input, o]) => {
  const t = c.use('input', input);
  floatOption(c.check, 'alpha', o.alpha, 0.2, t.dataType);
  floatOption(c.check, 'beta', o.beta, 0.5, t.dataType);
  return [c.check.same(t)];
};
INFER.linear = (c, [input, o]) => {
  const t = c.use('input', input);
  floatOption(c.check, 'alpha', o.alpha, 1.0, t.dataType);
  floatOption(c.check, 'beta', o.beta, 0.0, t.dataType);
  return [c.check.same(t)];
};
INFER.prelu = (c, [input, slope]) => {
  const t = c.use('input', input);
  const s = c.use('slope', slope);
  c.check.require(s.dataType === t.dataType, `slope: data type ${s.dataType} must be the same as input's (${t.dataType})`);
  const shape = broadcastShapes(t.shape, s.shape);
  c.check.require(shape, () => `slope shape ${fmt(s.shape)} and input shape ${fmt(t.shape)} are not broadcastable; each trailing `
    + 'dimension must be equal or 1');
  return [c.check.output(t.dataType, shape)];
};
INFER.softmax = (c, [input, axis]) => {
  const t = c.use('input', input);
  c.check.axis('axis', axis, t.shape.length);
  return [c.check.same(t)];
};

// reductions

function reducedShape(dims, axes, keep) {
  const reduced = new Set(axes);
  const out = [];
  dims.forEach((d, i) => {
    if (!reduced.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

for (const n of ['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin', 'reduceProduct',
  'reduceSum', 'reduceSumSquare']) {
  INFER[n] = (c, [input, o]) => {
    const t = c.use('input', input);
    const rank = t.shape.length;
    const axes = o.axes === undefined ? [...Array(rank).keys()] : c.check.axes('axes', o.axes, rank);
    return [c.check.output(t.dataType, reducedShape(t.shape, axes, o.keepDimensions === true))];
  };
}

function argMinMax(c, [input, axis, o]) {
  const t = c.use('input', input);
  const rank = t.shape.length;
  c.check.require(axis < rank, () => `axis (${axis}) must be in the range [0, ${rank}) for an input of rank ${rank} (shape ${fmt(t.shape)})`);
  const outType = o.outputDataType ?? 'int32';
  c.check.require(outType === 'int32' || outType === 'int64', `outputDataType ${outType} is not allowed; use int32 or int64`);
  c.check.require(outType !== 'int32' || t.shape[axis] <= 0x7FFFFFFF,
    () => `the input dimension at axis ${axis} (${t.shape[axis]}) is larger than ${outType} can index`);
  const out = c.check.output(outType, reducedShape(t.shape, [axis], o.keepDimensions === true));
  c.check.operand('output', out);
  return [out];
}
INFER.argMin = argMinMax;
INFER.argMax = argMinMax;

INFER.cumulativeSum = (c, [input, axis]) => {
  const t = c.use('input', input);
  const rank = t.shape.length;
  c.check.require(axis < rank, () => `axis (${axis}) must be in the range [0, ${rank}) for an input of rank ${rank} (shape ${fmt(t.shape)})`);
  return [c.check.same(t)];
};

// normalization

INFER.batchNormalization = (c, [input, mean, variance, o]) => {
  const t = c.use('input', input);
  const m = c.use('mean', mean);
  const v = c.use('variance', variance);
  const scale = c.useOptional('scale', o.scale);
  const bias = c.useOptional('bias', o.bias);
  const axis = o.axis ?? 1;
  const rank = t.shape.length;
  c.check.require(axis < rank, () => `axis (${axis}) must be in the range [0, ${rank}) for an input of rank ${rank} (shape ${fmt(t.shape)})`);
  const size = t.shape[axis];
  for (const [name, x] of [['mean', m], ['variance', v], ['scale', scale], ['bias', bias]]) {
    if (!x) continue;
    c.check.require(x.shape.length === 1 && x.shape[0] === size,
      () => `${name}: shape must be [${size}] (the input's dimension at axis ${axis}), got ${fmt(x.shape)}`);
  }
  return [c.check.same(t)];
};

INFER.instanceNormalization = (c, [input, o]) => {
  const t = c.use('input', input);
  const scale = c.useOptional('scale', o.scale);
  const bias = c.useOptional('bias', o.bias);
  c.check.require(t.shape.length === 4, () => `input: rank must be 4, got ${t.shape.length} (shape ${fmt(t.shape)})`);
  const layout = o.layout ?? 'nchw';
  const axis = layout === 'nhwc' ? 3 : 1;
  const size = t.shape[axis];
  for (const [name, x] of [['scale', scale], ['bias', bias]]) {
    if (!x) continue;
    c.check.require(x.shape.length === 1 && x.shape[0] === size, () => `${name}: shape must be [${size}] (the input's channel `
      + `dimension, axis ${axis} for layout ${layout}), got ${fmt(x.shape)}`);
  }
  return [c.check.same(t)];
};

INFER.layerNormalization = (c, [input, o]) => {
  const t = c.use('input', input);
  const scale = c.useOptional('scale', o.scale);
  const bias = c.useOptional('bias', o.bias);
  const rank = t.shape.length;
  const axes = o.axes === undefined ? [...Array(Math.max(rank - 1, 0)).keys()].map((i) => i + 1) : c.check.axes('axes', o.axes, rank);
  const expected = axes.map((a) => t.shape[a]);
  for (const [name, x] of [['scale', scale], ['bias', bias]]) {
    if (!x) continue;
    c.check.require(x.shape.length === axes.length, () => `${name}: rank must be ${axes.length} (the number of axes ${fmt(axes)}), `
      + `got ${x.shape.length} (shape ${fmt(x.shape)})`);
    c.check.require(x.shape.every((d, i) => d === expected[i]), () => `${name}: shape must be ${fmt(expected)} (the input's `
      + `dimensions at axes ${fmt(axes)}), got ${fmt(x.shape)}`);
  }
  return [c.check.same(t)];
};

// convolution

function requireBias(check, bias, outputChannels, filterLayout) {
  if (!bias) return;
  check.require(bias.shape.length === 1 && bias.shape[0] === outputChannels,
    () => `bias: shape must be [${outputChannels}] (the output channels of the ${filterLayout} filter), got ${fmt(bias.shape)}`);
}

INFER.conv2d = (c, [input, filter, o]) => {
  const t = c.use('input', input);
  const f = c.use('filter', filter);
  const bias = c.useOptional('bias', o.bias);
  const check = c.check;
  const padding = list(check, 'padding', o.padding, [0, 0, 0, 0]);
  const strides = list(check, 'strides', o.strides, [1, 1]);
  requireNonZero(check, 'strides', strides);
  const dilations = list(check, 'dilations', o.dilations, [1, 1]);
  requireNonZero(check, 'dilations', dilations);
  const groups = o.groups ?? 1;
  check.require(groups !== 0, 'groups must be at least 1, got 0');
  const inputLayout = o.inputLayout ?? 'nchw';
  const filterLayout = o.filterLayout ?? 'oihw';
  const ax = spatialAxes(inputLayout);
  const [batches, inC, inH, inW] = [t.shape[0], t.shape[ax[0]], t.shape[ax[1]], t.shape[ax[2]]];
  const s = f.shape;
  let outC; let filterInC; let fH; let fW;
  switch (filterLayout) {
    case 'hwio': [fH, fW, filterInC, outC] = s; break;
    case 'ohwi': [outC, fH, fW, filterInC] = s; break;
    case 'ihwo': [filterInC, fH, fW, outC] = s; break;
    default: [outC, filterInC, fH, fW] = s;
  }
  const shapes = ` (input ${fmt(t.shape)} ${inputLayout}, filter ${fmt(s)} ${filterLayout})`;
  check.require(inC % groups === 0, () => `input channels (${inC}) must be divisible by groups (${groups})${shapes}`);
  check.require(inC / groups === filterInC, () => `the filter's input channels (${filterInC}) must equal input channels / groups `
    + `(${inC} / ${groups} = ${Math.floor(inC / groups)})${shapes}`);
  check.require(outC % groups === 0, () => `the filter's output channels (${outC}) must be divisible by groups (${groups})${shapes}`);
  requireBias(check, bias, outC, filterLayout);
  const effH = effectiveSize(check, 'filter height', fH, dilations[0]);
  const effW = effectiveSize(check, 'filter width', fW, dilations[1]);
  const outH = convOutputSize(inH, effH, padding[0], padding[1], strides[0], false);
  const outW = convOutputSize(inW, effW, padding[2], padding[3], strides[1], false);
  requireValidDimension(check, 'output height', outH, `1 + (input height ${inH} - effective filter height ${effH} (filter ${fH}, `
    + `dilation ${dilations[0]}) + padding ${padding[0]} + ${padding[1]}) / stride ${strides[0]}; use more padding, a smaller `
    + 'dilation or a smaller filter');
  requireValidDimension(check, 'output width', outW, `1 + (input width ${inW} - effective filter width ${effW} (filter ${fW}, `
    + `dilation ${dilations[1]}) + padding ${padding[2]} + ${padding[3]}) / stride ${strides[1]}; use more padding, a smaller `
    + 'dilation or a smaller filter');
  return [check.output(t.dataType, spatialShape(inputLayout, batches, outC, outH, outW))];
};

INFER.convTranspose2d = (c, [input, filter, o]) => {
  const t = c.use('input', input);
  const f = c.use('filter', filter);
  const bias = c.useOptional('bias', o.bias);
  const check = c.check;
  const padding = list(check, 'padding', o.padding, [0, 0, 0, 0]);
  const strides = list(check, 'strides', o.strides, [1, 1]);
  requireNonZero(check, 'strides', strides);
  const dilations = list(check, 'dilations', o.dilations, [1, 1]);
  requireNonZero(check, 'dilations', dilations);
  const outputPadding = list(check, 'outputPadding', o.outputPadding, [0, 0]);
  let outputSizes = null;
  if (o.outputSizes !== undefined) {
    outputSizes = list(check, 'outputSizes', o.outputSizes, [0, 0]);
    requireNonZero(check, 'outputSizes', outputSizes);
  } else {
    check.require(outputPadding[0] < strides[0] && outputPadding[1] < strides[1],
      () => `outputPadding ${fmt(outputPadding)} must be smaller than strides ${fmt(strides)} in each dimension`);
  }
  const groups = o.groups ?? 1;
  check.require(groups !== 0, 'groups must be at least 1, got 0');
  const inputLayout = o.inputLayout ?? 'nchw';
  const filterLayout = o.filterLayout ?? 'iohw';
  const ax = spatialAxes(inputLayout);
  const [batches, inC, inH, inW] = [t.shape[0], t.shape[ax[0]], t.shape[ax[1]], t.shape[ax[2]]];
  const s = f.shape;
  let filterInC; let filterOutC; let fH; let fW;
  switch (filterLayout) {
    case 'hwoi': [fH, fW, filterOutC, filterInC] = s; break;
    case 'ohwi': [filterOutC, fH, fW, filterInC] = s; break;
    default: [filterInC, filterOutC, fH, fW] = s;
  }
  const shapes = ` (input ${fmt(t.shape)} ${inputLayout}, filter ${fmt(s)} ${filterLayout})`;
  check.require(inC === filterInC, () => `the filter's input channels (${filterInC}) must equal the input channels (${inC})${shapes}`);
  const outC = filterOutC * groups;
  requireValidDimension(check, 'output channels', outC, `filter output channels ${filterOutC} * groups ${groups}`);
  requireBias(check, bias, outC, filterLayout);
  const effH = effectiveSize(check, 'filter height', fH, dilations[0]);
  const effW = effectiveSize(check, 'filter width', fW, dilations[1]);
  const calcH = (inH - 1) * strides[0] + effH - padding[0] - padding[1];
  const calcW = (inW - 1) * strides[1] + effW - padding[2] - padding[3];
  check.require(Number.isSafeInteger(calcH), 'the output height overflows');
  check.require(Number.isSafeInteger(calcW), 'the output width overflows');
  let outH; let outW;
  if (outputSizes) {
    [outH, outW] = outputSizes;
    check.require(outH >= calcH && outH < calcH + strides[0], () => `outputSizes[0] (${outH}) must be in [${calcH}, `
      + `${calcH + strides[0]}) (the computed output height and that plus strides[0])`);
    check.require(outW >= calcW && outW < calcW + strides[1], () => `outputSizes[1] (${outW}) must be in [${calcW}, `
      + `${calcW + strides[1]}) (the computed output width and that plus strides[1])`);
  } else {
    outH = calcH + outputPadding[0];
    outW = calcW + outputPadding[1];
  }
  requireValidDimension(check, 'output height', outH, `(input height ${inH} - 1) * stride ${strides[0]} + effective filter height `
    + `${effH} (filter ${fH}, dilation ${dilations[0]}) - padding ${padding[0]} - ${padding[1]} + outputPadding `
    + `${outputSizes ? 0 : outputPadding[0]}; use less padding`);
  requireValidDimension(check, 'output width', outW, `(input width ${inW} - 1) * stride ${strides[1]} + effective filter width `
    + `${effW} (filter ${fW}, dilation ${dilations[1]}) - padding ${padding[2]} - ${padding[3]} + outputPadding `
    + `${outputSizes ? 0 : outputPadding[1]}; use less padding`);
  return [check.output(t.dataType, spatialShape(inputLayout, batches, outC, outH, outW))];
};

// pooling

function pool2d(c, [input, o]) {
  const t = c.use('input', input);
  const check = c.check;
  const layout = o.layout ?? 'nchw';
  const ax = spatialAxes(layout);
  const [batches, channels, inH, inW] = [t.shape[0], t.shape[ax[0]], t.shape[ax[1]], t.shape[ax[2]]];
  const window = list(check, 'windowDimensions', o.windowDimensions, [inH, inW]);
  requireNonZero(check, 'windowDimensions', window);
  const padding = list(check, 'padding', o.padding, [0, 0, 0, 0]);
  const strides = list(check, 'strides', o.strides, [1, 1]);
  requireNonZero(check, 'strides', strides);
  let outputSizes = null;
  if (o.outputSizes !== undefined) {
    outputSizes = list(check, 'outputSizes', o.outputSizes, [0, 0]);
    requireNonZero(check, 'outputSizes', outputSizes);
  }
  const dilations = list(check, 'dilations', o.dilations, [1, 1]);
  requireNonZero(check, 'dilations', dilations);
  const effH = effectiveSize(check, 'window height', window[0], dilations[0]);
  const effW = effectiveSize(check, 'window width', window[1], dilations[1]);
  const floorH = convOutputSize(inH, effH, padding[0], padding[1], strides[0], false);
  const floorW = convOutputSize(inW, effW, padding[2], padding[3], strides[1], false);
  const ceilH = convOutputSize(inH, effH, padding[0], padding[1], strides[0], true);
  const ceilW = convOutputSize(inW, effW, padding[2], padding[3], strides[1], true);
  let outH; let outW;
  if (outputSizes) {
    [outH, outW] = outputSizes;
    check.require((outH === floorH && outW === floorW) || (outH === ceilH && outW === ceilW),
      () => `outputSizes ${fmt(outputSizes)} must be the rounded-down [${floorH}, ${floorW}] or the rounded-up [${ceilH}, ${ceilW}] `
        + `output size (input ${inH}x${inW}, window ${fmt(window)}, padding ${fmt(padding)}, strides ${fmt(strides)}, `
        + `dilations ${fmt(dilations)})`);
  } else {
    const ceil = (o.outputShapeRounding ?? o.roundingType) === 'ceil';
    outH = ceil ? ceilH : floorH;
    outW = ceil ? ceilW : floorW;
  }
  requireValidDimension(check, 'output height', outH, `input height ${inH}, effective window height ${effH}, padding `
    + `${padding[0]} + ${padding[1]}, stride ${strides[0]}; the window must fit in the padded input`);
  requireValidDimension(check, 'output width', outW, `input width ${inW}, effective window width ${effW}, padding `
    + `${padding[2]} + ${padding[3]}, stride ${strides[1]}; the window must fit in the padded input`);
  return [check.output(t.dataType, spatialShape(layout, batches, channels, outH, outW))];
}
INFER.averagePool2d = pool2d;
INFER.l2Pool2d = pool2d;
INFER.maxPool2d = pool2d;

INFER.resample2d = (c, [input, o]) => {
  const t = c.use('input', input);
  const check = c.check;
  const scales = [1.0, 1.0];
  if (o.scales !== undefined) {
    check.require(o.scales.length === 2, () => `scales must have 2 values, got ${o.scales.length} (${fmt(o.scales)})`);
    for (let i = 0; i < 2; i++) {
      check.require(o.scales[i] > 0 && Number.isFinite(o.scales[i]),
        `scales[${i}] must be a finite number greater than 0, got ${o.scales[i]}`);
      scales[i] = o.scales[i];
    }
  }
  let sizes = null;
  if (o.sizes !== undefined) {
    sizes = list(check, 'sizes', o.sizes, [0, 0]);
    requireNonZero(check, 'sizes', sizes);
  }
  let axes = [2, 3];
  if (o.axes !== undefined) {
    check.require(o.axes.length === 2, () => `axes must have 2 values, got ${o.axes.length} (${fmt(o.axes)})`);
    axes = check.axes('axes', o.axes, t.shape.length);
  }
  const out = Array.from(t.shape);
  for (let i = 0; i < 2; i++) {
    const inSize = t.shape[axes[i]];
    let size;
    if (sizes) {
      size = sizes[i];
    } else {
      const product = Math.floor(inSize * scales[i]);
      size = product > MAX_DIMENSION ? MAX_DIMENSION + 1 : product;
    }
    requireValidDimension(check, `output size along axis ${axes[i]}`, size, sizes ? null
      : `floor(input size ${inSize} * scale ${scales[i]}); use a ${size < 1 ? 'larger' : 'smaller'} scale`);
    out[axes[i]] = size;
  }
  return [check.output(t.dataType, out)];
};

// matrix

INFER.matmul = (c, [a, b]) => {
  const ta = c.use('a', a);
  const tb = c.use('b', b);
  const check = c.check;
  const sa = ta.shape;
  const sb = tb.shape;
  check.require(sa.length >= 2, () => `a: rank must be at least 2, got ${sa.length} (shape ${fmt(sa)})`);
  check.require(sb.length >= 2, () => `b: rank must be at least 2, got ${sb.length} (shape ${fmt(sb)})`);
  const m = sa[sa.length - 2]; const k = sa[sa.length - 1]; const kb = sb[sb.length - 2]; const n = sb[sb.length - 1];
  check.require(k === kb, () => `the columns of a (${k}, shape ${fmt(sa)}) must equal the rows of b (${kb}, shape ${fmt(sb)})`);
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  check.require(batch, () => `the batch shapes ${fmt(batchA)} of a and ${fmt(batchB)} of b are not broadcastable`);
  return [check.output(ta.dataType, [...batch, m, n])];
};

INFER.gemm = (c, [a, b, o]) => {
  const ta = c.use('a', a);
  const tb = c.use('b', b);
  const tc = c.useOptional('c', o.c);
  const check = c.check;
  const aT = o.aTranspose === true;
  const bT = o.bTranspose === true;
  const sa = ta.shape;
  const sb = tb.shape;
  const m = aT ? sa[1] : sa[0]; const k = aT ? sa[0] : sa[1];
  const kb = bT ? sb[1] : sb[0]; const n = bT ? sb[0] : sb[1];
  check.require(k === kb, () => `the inner dimensions differ: a${aT ? ` (transposed, shape ${fmt(sa)})` : ' ' + fmt(sa)} gives `
    + `[${m}, ${k}], b${bT ? ` (transposed, shape ${fmt(sb)})` : ' ' + fmt(sb)} gives [${kb}, ${n}]; they must share K`);
  if (tc) {
    check.require(unidirectionallyBroadcastable(tc.shape, [m, n]),
      () => `c: shape ${fmt(tc.shape)} is not unidirectionally broadcastable to the output shape [${m}, ${n}]`);
  }
  return [check.output(ta.dataType, [m, n])];
};

// shape and data movement

function axisOption(check, what, option, t) {
  const axis = option ?? 0;
  check.require(axis < t.shape.length,
    () => `${what} (${axis}) must be in the range [0, ${t.shape.length}) for an input of shape ${fmt(t.shape)}`);
  return axis;
}

function distinctAxes(check, what, axes, rank) {
  const seen = new Set();
  for (const a of axes) {
    check.require(a < rank, () => `${what} ${fmt(axes)}: axis ${a} must be in the range [0, ${rank})`);
    check.require(!seen.has(a), () => `${what} ${fmt(axes)}: axis ${a} is listed twice`);
    seen.add(a);
  }
  return axes;
}

INFER.concat = (c, [inputs, axis]) => {
  const check = c.check;
  inputs.forEach((x, i) => c.member(`inputs[${i}]`, x));
  const types = inputs.map((x) => check.operand('inputs', c.typeOf(x)));
  check.require(types.length > 0, 'inputs must not be empty; pass at least one operand to concatenate');
  check.require(types.length <= MAX_TENSOR_COUNT, () => `inputs has ${types.length} operands, more than the limit of ${MAX_TENSOR_COUNT}`);
  const first = types[0];
  const rank = first.shape.length;
  check.require(axis < rank, () => `axis (${axis}) must be in the range [0, ${rank}) for inputs of rank ${rank}`);
  const out = Array.from(first.shape);
  for (let i = 1; i < types.length; i++) {
    const t = types[i];
    check.require(t.dataType === first.dataType, () => `inputs[${i}]: data type ${t.dataType} differs from inputs[0]'s `
      + `(${first.dataType}); all inputs must have the same data type`);
    check.require(t.shape.length === rank, () => `inputs[${i}]: rank ${t.shape.length} (shape ${fmt(t.shape)}) differs from `
      + `inputs[0]'s rank ${rank} (shape ${fmt(first.shape)}); all inputs must have the same rank`);
    for (let d = 0; d < rank; d++) {
      if (d === axis) out[d] += t.shape[d];
      else {
        check.require(t.shape[d] === first.shape[d], () => `inputs[${i}]: shape ${fmt(t.shape)} differs from inputs[0]'s shape `
          + `${fmt(first.shape)} in dimension ${d}; only the axis ${axis} may differ`);
      }
    }
  }
  check.require(out[axis] <= MAX_DIMENSION, () => `the concatenated size along axis ${axis} (${out[axis]}) is larger than 2^32-1`);
  return [check.output(first.dataType, out)];
};

INFER.expand = (c, [input, newShape]) => {
  const t = c.use('input', input);
  const check = c.check;
  checkDimensions(check, 'newShape', newShape);
  const s = t.shape;
  check.require(s.length <= newShape.length, () => `input shape ${fmt(s)} cannot be expanded to newShape ${fmt(newShape)}: `
    + `newShape must have at least the input's rank (${s.length})`);
  for (let i = 0; i < s.length; i++) {
    const to = newShape[newShape.length - s.length + i];
    check.require(s[i] === to || s[i] === 1, () => `input shape ${fmt(s)} is not unidirectionally broadcastable to newShape `
      + `${fmt(newShape)}: input dimension ${i} (${s[i]}) must be 1 or ${to}`);
  }
  return [check.output(t.dataType, newShape)];
};

INFER.reshape = (c, [input, newShape]) => {
  const t = c.use('input', input);
  const check = c.check;
  checkDimensions(check, 'newShape', newShape);
  const count = elementCount(newShape);
  const size = elementCount(t.shape);
  check.require(Number.isSafeInteger(count), () => `newShape ${fmt(newShape)} holds too many elements; it must hold the input's `
    + `${size} elements (shape ${fmt(t.shape)})`);
  check.require(count === size, () => `newShape ${fmt(newShape)} holds ${count} elements but the input (shape ${fmt(t.shape)}) `
    + `has ${size}; the element count must not change`);
  return [check.output(t.dataType, newShape)];
};

INFER.gather = (c, [input, indices, o]) => {
  const t = c.use('input', input);
  const idx = c.use('indices', indices);
  const axis = axisOption(c.check, 'options.axis', o.axis, t);
  const out = [...t.shape.slice(0, axis), ...idx.shape, ...t.shape.slice(axis + 1)];
  return [c.check.output(t.dataType, out)];
};

function requireSameExceptAxis(check, name, t, input, axis) {
  check.require(t.shape.length === input.shape.length, () => `${name}: rank ${t.shape.length} (shape ${fmt(t.shape)}) must equal `
    + `the input's rank ${input.shape.length} (shape ${fmt(input.shape)})`);
  for (let d = 0; d < t.shape.length; d++) {
    check.require(d === axis || t.shape[d] === input.shape[d], () => `${name}: shape ${fmt(t.shape)} must equal the input's shape `
      + `${fmt(input.shape)} in every dimension except the axis ${axis} (dimension ${d} differs)`);
  }
}

INFER.gatherElements = (c, [input, indices, o]) => {
  const t = c.use('input', input);
  const idx = c.use('indices', indices);
  const axis = axisOption(c.check, 'options.axis', o.axis, t);
  requireSameExceptAxis(c.check, 'indices', idx, t, axis);
  return [c.check.output(t.dataType, idx.shape)];
};

function gatherNDShape(check, t, idx) {
  const k = idx.shape[idx.shape.length - 1];
  check.require(k <= t.shape.length, () => `indices: the last dimension (${k}, shape ${fmt(idx.shape)}) is the coordinate length `
    + `and must not exceed the input's rank (${t.shape.length}, shape ${fmt(t.shape)})`);
  return [k, [...idx.shape.slice(0, -1), ...t.shape.slice(k)]];
}

INFER.gatherND = (c, [input, indices]) => {
  const t = c.use('input', input);
  const idx = c.use('indices', indices);
  return [c.check.output(t.dataType, gatherNDShape(c.check, t, idx)[1])];
};

INFER.scatterElements = (c, [input, indices, updates, o]) => {
  const t = c.use('input', input);
  const idx = c.use('indices', indices);
  const upd = c.use('updates', updates);
  const axis = axisOption(c.check, 'options.axis', o.axis, t);
  requireSameExceptAxis(c.check, 'indices', idx, t, axis);
  c.check.require(upd.shape.length === idx.shape.length && upd.shape.every((d, i) => d === idx.shape[i]),
    () => `updates: shape ${fmt(upd.shape)} must equal the indices' shape ${fmt(idx.shape)}`);
  return [c.check.same(t)];
};

INFER.scatterND = (c, [input, indices, updates]) => {
  const t = c.use('input', input);
  const idx = c.use('indices', indices);
  const upd = c.use('updates', updates);
  const [k, expected] = gatherNDShape(c.check, t, idx);
  c.check.require(upd.shape.length === expected.length && upd.shape.every((d, i) => d === expected[i]),
    () => `updates: shape ${fmt(upd.shape)} must be ${fmt(expected)} (indices' shape without its last dimension, then the input's `
      + `dimensions from ${k} on)`);
  return [c.check.same(t)];
};

INFER.pad = (c, [input, begin, end, o]) => {
  const t = c.use('input', input);
  const check = c.check;
  const rank = t.shape.length;
  check.require(begin.length === rank && end.length === rank, () => `beginningPadding (length ${begin.length}) and endingPadding `
    + `(length ${end.length}) must both have the input's rank (${rank}, shape ${fmt(t.shape)})`);
  const mode = o.mode ?? 'constant';
  const out = [];
  for (let i = 0; i < rank; i++) {
    if (mode === 'reflection') {
      check.require(begin[i] < t.shape[i] && end[i] < t.shape[i], () => 'reflection padding must be smaller than the input '
        + `dimension: dimension ${i} is ${t.shape[i]}, paddings are ${begin[i]} and ${end[i]}`);
    }
    out.push(t.shape[i] + begin[i] + end[i]);
    check.require(out[i] <= MAX_DIMENSION, () => `dimension ${i} padded by ${begin[i]} and ${end[i]} would be ${out[i]}, larger `
      + 'than 2^32-1');
  }
  return [check.output(t.dataType, out)];
};

INFER.slice = (c, [input, starts, sizes, o]) => {
  const t = c.use('input', input);
  const check = c.check;
  const rank = t.shape.length;
  check.require(starts.length === rank && sizes.length === rank, () => `starts (length ${starts.length}) and sizes (length `
    + `${sizes.length}) must both have the input's rank (${rank}, shape ${fmt(t.shape)})`);
  let strides = new Array(rank).fill(1);
  if (o.strides !== undefined) {
    check.require(o.strides.length === rank, () => `options.strides (length ${o.strides.length}) must have the input's rank (${rank})`);
    strides = o.strides;
  }
  const out = [];
  for (let i = 0; i < rank; i++) {
    const [start, size, stride, dim] = [starts[i], sizes[i], strides[i], t.shape[i]];
    check.require(size > 0, `sizes[${i}] is 0; every slice size must be greater than 0`);
    check.require(stride >= 1, `options.strides[${i}] is 0; strides must be at least 1`);
    check.require(start < dim, () => `starts[${i}] (${start}) must be in the range [0, ${dim}) of input dimension ${i}`);
    check.require(start + size <= dim, () => `starts[${i}] + sizes[${i}] (${start} + ${size}) exceeds input dimension ${i} (${dim})`);
    out.push(Math.ceil(size / stride));
  }
  return [check.output(t.dataType, out)];
};

INFER.split = (c, [input, splits, o]) => {
  const t = c.use('input', input);
  const check = c.check;
  const axis = axisOption(check, 'options.axis', o.axis, t);
  const dim = t.shape[axis];
  let sizes;
  if (typeof splits === 'number') {
    check.require(splits > 0 && splits <= MAX_TENSOR_COUNT, () => `splits (${splits}) must be in the range [1, ${MAX_TENSOR_COUNT}]`);
    check.require(dim % splits === 0, () => `splits (${splits}) must evenly divide the input dimension ${dim} along axis ${axis} `
      + `(shape ${fmt(t.shape)})`);
    sizes = new Array(splits).fill(dim / splits);
  } else {
    check.require(splits.length > 0 && splits.length <= MAX_TENSOR_COUNT,
      () => `splits must list between 1 and ${MAX_TENSOR_COUNT} sizes, got ${splits.length}`);
    let sum = 0;
    splits.forEach((s, i) => {
      check.require(s !== 0, `splits[${i}] is 0; every size must be greater than 0`);
      sum += s;
    });
    check.require(sum === dim, () => `the sizes in splits ${fmt(splits)} add up to ${sum} but the input dimension along axis `
      + `${axis} is ${dim} (shape ${fmt(t.shape)})`);
    sizes = splits;
  }
  return sizes.map((s) => {
    const shape = Array.from(t.shape);
    shape[axis] = s;
    return check.output(t.dataType, shape);
  });
};

INFER.transpose = (c, [input, o]) => {
  const t = c.use('input', input);
  const rank = t.shape.length;
  let perm;
  if (o.permutation === undefined) perm = [...Array(rank).keys()].reverse();
  else {
    c.check.require(o.permutation.length === rank, () => `options.permutation ${fmt(o.permutation)} has ${o.permutation.length} `
      + `values; it must have one per input dimension (${rank}, shape ${fmt(t.shape)})`);
    perm = distinctAxes(c.check, 'options.permutation', o.permutation, rank);
  }
  return [c.check.output(t.dataType, perm.map((p) => t.shape[p]))];
};

INFER.reverse = (c, [input, o]) => {
  const t = c.use('input', input);
  if (o.axes !== undefined) distinctAxes(c.check, 'options.axes', o.axes, t.shape.length);
  return [c.check.same(t)];
};

INFER.tile = (c, [input, repetitions]) => {
  const t = c.use('input', input);
  const check = c.check;
  const rank = t.shape.length;
  check.require(repetitions.length === rank, () => `repetitions ${fmt(repetitions)} has ${repetitions.length} values; it must have `
    + `one per input dimension (${rank}, shape ${fmt(t.shape)})`);
  const out = [];
  for (let i = 0; i < rank; i++) {
    check.require(repetitions[i] !== 0, `repetitions[${i}] is 0; every repetition count must be greater than 0`);
    out.push(t.shape[i] * repetitions[i]);
    check.require(out[i] <= MAX_DIMENSION, () => `dimension ${i} (${t.shape[i]}) repeated ${repetitions[i]} times would be `
      + `${out[i]}, larger than 2^32-1`);
  }
  return [check.output(t.dataType, out)];
};

INFER.triangular = (c, [input]) => [c.check.same(c.use('input', input))];

// recurrent

const MAX_VALID_DIMENSION = 0x7FFFFFFF;

function steps(check, value, input) {
  check.require(value > 0, `steps must be greater than 0, got ${value}`);
  check.require(input.shape[0] === value, () => `input.shape[0] (${input.shape[0]}) must equal steps (${value}); input shape is `
    + `[steps, batchSize, inputSize] = ${fmt(input.shape)}`);
  return value;
}

function hiddenSize(check, value, gates) {
  check.require(value > 0, `hiddenSize must be greater than 0, got ${value}`);
  check.require(value * 2 * gates <= MAX_VALID_DIMENSION,
    () => `hiddenSize (${value}) is too large: ${2 * gates} * hiddenSize must be at most ${MAX_VALID_DIMENSION}`);
  return value;
}

function requireShape(check, name, t, meaning, ...expected) {
  if (!t) return;
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]);
  check.require(ok, () => `${name}: shape must be ${meaning} = ${fmt(expected)}, got ${fmt(t.shape)}`);
}

function activations(check, given, count) {
  if (given === undefined) return;
  check.require(given.length === count, () => `activations must list exactly ${count} functions `
    + `(${count === 2 ? 'gates, new gate' : 'gates, cell gate, cell state filter'}), got ${given.length}: [${given.join(', ')}]`);
}

function members(c, names, args, o, optionNames) {
  names.forEach((n, i) => c.member(n, args[i]));
  for (const n of optionNames) if (o[n]) c.member(n, o[n]);
}

INFER.gru = (c, [input, weight, recurrentWeight, stepCount, hidden, o]) => {
  const check = c.check;
  members(c, ['input', 'weight', 'recurrentWeight'], [input, weight, recurrentWeight], o, ['bias', 'recurrentBias', 'initialHiddenState']);
  const t = c.use('input', input);
  const w = c.use('weight', weight);
  const rw = c.use('recurrentWeight', recurrentWeight);
  const n = steps(check, stepCount, t);
  hiddenSize(check, hidden, 3);
  const dirs = o.direction === 'both' ? 2 : 1;
  const [batch, inputSize, gates] = [t.shape[1], t.shape[2], 3 * hidden];
  requireShape(check, 'weight', w, '[numDirections, 3 * hiddenSize, inputSize]', dirs, gates, inputSize);
  requireShape(check, 'recurrentWeight', rw, '[numDirections, 3 * hiddenSize, hiddenSize]', dirs, gates, hidden);
  requireShape(check, 'bias', c.useOptional('bias', o.bias), '[numDirections, 3 * hiddenSize]', dirs, gates);
  requireShape(check, 'recurrentBias', c.useOptional('recurrentBias', o.recurrentBias), '[numDirections, 3 * hiddenSize]', dirs, gates);
  requireShape(check, 'initialHiddenState', c.useOptional('initialHiddenState', o.initialHiddenState),
    '[numDirections, batchSize, hiddenSize]', dirs, batch, hidden);
  activations(check, o.activations, 2);
  const out = [check.output(t.dataType, [dirs, batch, hidden])];
  if (o.returnSequence === true) out.push(check.output(t.dataType, [n, dirs, batch, hidden]));
  return out;
};

INFER.gruCell = (c, [input, weight, recurrentWeight, hiddenState, hidden, o]) => {
  const check = c.check;
  members(c, ['input', 'weight', 'recurrentWeight', 'hiddenState'], [input, weight, recurrentWeight, hiddenState], o,
    ['bias', 'recurrentBias']);
  const t = c.use('input', input);
  const w = c.use('weight', weight);
  const rw = c.use('recurrentWeight', recurrentWeight);
  const h = c.use('hiddenState', hiddenState);
  hiddenSize(check, hidden, 3);
  const [batch, inputSize, gates] = [t.shape[0], t.shape[1], 3 * hidden];
  requireShape(check, 'weight', w, '[3 * hiddenSize, inputSize]', gates, inputSize);
  requireShape(check, 'recurrentWeight', rw, '[3 * hiddenSize, hiddenSize]', gates, hidden);
  requireShape(check, 'hiddenState', h, '[batchSize, hiddenSize]', batch, hidden);
  requireShape(check, 'bias', c.useOptional('bias', o.bias), '[3 * hiddenSize]', gates);
  requireShape(check, 'recurrentBias', c.useOptional('recurrentBias', o.recurrentBias), '[3 * hiddenSize]', gates);
  activations(check, o.activations, 2);
  return [check.output(t.dataType, [batch, hidden])];
};

INFER.lstm = (c, [input, weight, recurrentWeight, stepCount, hidden, o]) => {
  const check = c.check;
  members(c, ['input', 'weight', 'recurrentWeight'], [input, weight, recurrentWeight], o,
    ['bias', 'recurrentBias', 'peepholeWeight', 'initialHiddenState', 'initialCellState']);
  const dirs = o.direction === 'both' ? 2 : 1;
  const t = c.use('input', input);
  const w = c.use('weight', weight);
  const rw = c.use('recurrentWeight', recurrentWeight);
  const n = steps(check, stepCount, t);
  hiddenSize(check, hidden, 4);
  const [batch, inputSize, gates] = [t.shape[1], t.shape[2], 4 * hidden];
  requireShape(check, 'weight', w, '[numDirections, 4 * hiddenSize, inputSize]', dirs, gates, inputSize);
  requireShape(check, 'recurrentWeight', rw, '[numDirections, 4 * hiddenSize, hiddenSize]', dirs, gates, hidden);
  requireShape(check, 'bias', c.useOptional('bias', o.bias), '[numDirections, 4 * hiddenSize]', dirs, gates);
  requireShape(check, 'recurrentBias', c.useOptional('recurrentBias', o.recurrentBias), '[numDirections, 4 * hiddenSize]', dirs, gates);
  requireShape(check, 'peepholeWeight', c.useOptional('peepholeWeight', o.peepholeWeight), '[numDirections, 3 * hiddenSize]',
    dirs, 3 * hidden);
  requireShape(check, 'initialHiddenState', c.useOptional('initialHiddenState', o.initialHiddenState),
    '[numDirections, batchSize, hiddenSize]', dirs, batch, hidden);
  requireShape(check, 'initialCellState', c.useOptional('initialCellState', o.initialCellState),
    '[numDirections, batchSize, hiddenSize]', dirs, batch, hidden);
  activations(check, o.activations, 3);
  const state = check.output(t.dataType, [dirs, batch, hidden]);
  const out = [state, state];
  if (o.returnSequence === true) out.push(check.output(t.dataType, [n, dirs, batch, hidden]));
  return out;
};

INFER.lstmCell = (c, [input, weight, recurrentWeight, hiddenState, cellState, hidden, o]) => {
  const check = c.check;
  members(c, ['input', 'weight', 'recurrentWeight', 'hiddenState', 'cellState'],
    [input, weight, recurrentWeight, hiddenState, cellState], o, ['bias', 'recurrentBias', 'peepholeWeight']);
  const t = c.use('input', input);
  const w = c.use('weight', weight);
  const rw = c.use('recurrentWeight', recurrentWeight);
  const h = c.use('hiddenState', hiddenState);
  const cs = c.use('cellState', cellState);
  hiddenSize(check, hidden, 4);
  const [batch, inputSize, gates] = [t.shape[0], t.shape[1], 4 * hidden];
  requireShape(check, 'weight', w, '[4 * hiddenSize, inputSize]', gates, inputSize);
  requireShape(check, 'recurrentWeight', rw, '[4 * hiddenSize, hiddenSize]', gates, hidden);
  requireShape(check, 'hiddenState', h, '[batchSize, hiddenSize]', batch, hidden);
  requireShape(check, 'cellState', cs, '[batchSize, hiddenSize]', batch, hidden);
  requireShape(check, 'bias', c.useOptional('bias', o.bias), '[4 * hiddenSize]', gates);
  requireShape(check, 'recurrentBias', c.useOptional('recurrentBias', o.recurrentBias), '[4 * hiddenSize]', gates);
  requireShape(check, 'peepholeWeight', c.useOptional('peepholeWeight', o.peepholeWeight), '[3 * hiddenSize]', 3 * hidden);
  activations(check, o.activations, 3);
  const state = check.output(t.dataType, [batch, hidden]);
  return [state, state];
};

// quantization

function alignedToRank(t, rank) {
  if (t.shape.length > rank) return null;
  return tensorType(t.dataType, [...new Array(rank - t.shape.length).fill(1), ...t.shape]);
}

function quantization(c, [input, scale, zeroPoint], dequantize) {
  const check = c.check;
  c.member('input', input);
  c.member('scale', scale);
  c.member('zeroPoint', zeroPoint);
  const t = c.use('input', input);
  // the table asks for the input's rank; the WPT suite also passes lower ranks, read with leading 1s
  const s = c.typeOf(scale);
  const zp = c.typeOf(zeroPoint);
  const rank = t.shape.length;
  check.operand('scale', alignedToRank(s, rank) ?? s);
  check.operand('zeroPoint', alignedToRank(zp, rank) ?? zp);
  check.require(s.shape.length <= rank, () => `scale: rank ${s.shape.length} must not exceed input's rank ${rank} (scale shape `
    + `${fmt(s.shape)}, input shape ${fmt(t.shape)})`);
  check.require(s.shape.length === zp.shape.length && s.shape.every((d, i) => d === zp.shape[i]),
    () => `zeroPoint: shape ${fmt(zp.shape)} must equal scale's shape ${fmt(s.shape)}`);
  const aligned = alignedToRank(s, rank).shape;
  t.shape.forEach((d, i) => {
    check.require(d % aligned[i] === 0, () => `scale: shape ${fmt(s.shape)} is not blockwise broadcastable to input shape `
      + `${fmt(t.shape)}: input dimension ${i} (${d}) is not a multiple of the scale's (${aligned[i]})`);
  });
  return [check.output(dequantize ? s.dataType : zp.dataType, t.shape)];
}
INFER.quantizeLinear = (c, args) => quantization(c, args, false);
INFER.dequantizeLinear = (c, args) => quantization(c, args, true);

Object.freeze(INFER);
export { INFER };

/**
 * Validates one builder call and infers its outputs. `env`: `isOperand(v)`, `typeOf(operand)` -> {dataType, shape},
 * `belongs(operand)` (created by this builder), `support` (what the context supports).
 * Returns `{args, outputs}`: the converted IDL arguments and the output types. Throws labelled TypeErrors.
 */
export function validateCall(operator, rawArgs, env, beforeRules) {
  const sig = SIGNATURES[operator];
  if (!sig) throw new TypeError(`unknown operator '${operator}'`);
  const check = new OpCheck(operator, peekLabel(rawArgs[sig.length - 1]), env.support);
  const args = convertArguments(operator, rawArgs, check, env);
  if (beforeRules) beforeRules();
  const member = (name, operand) => {
    if (!operand) throw check.error(`${name} is required`);
    if (!env.belongs(operand)) throw check.error(`${name} was created by another MLGraphBuilder`);
  };
  const c = {
    check,
    typeOf: env.typeOf,
    member,
    use(name, operand) {
      member(name, operand);
      return check.operand(name, env.typeOf(operand));
    },
    useOptional(name, operand) {
      return operand ? c.use(name, operand) : null;
    },
  };
  return { args, outputs: INFER[operator](c, args) };
}

/** Descriptor checks of input(), constant() and createTensor(): positive dimensions, byte length, rank. */
export function checkDescriptor(descriptor, support, what) {
  const fail = (m) => new TypeError(`${what}: ${m}`);
  const d = idlDictionary(descriptor, 'descriptor', fail);
  if (d.dataType === undefined) throw fail('descriptor.dataType is required');
  const dataType = idlEnum(d.dataType, 'MLOperandDataType', 'descriptor.dataType', fail);
  if (d.shape === undefined) throw fail('descriptor.shape is required');
  const shape = idlSequence(d.shape, 'descriptor.shape', fail, (x, w) => idlUnsignedLong(x, w, fail));
  if (shape.length > support.maxRank) throw fail(`rank ${shape.length} is more than this context supports (${support.maxRank})`);
  for (const dim of shape) if (dim <= 0) throw fail(`every dimension must be positive, got ${fmt(shape)}`);
  const elements = elementCount(shape);
  if (!Number.isSafeInteger(elements)) throw fail(`the shape ${fmt(shape)} has too many elements`);
  const bytes = byteLength(dataType, elements);
  if (bytes > support.maxTensorByteLength) {
    throw fail(`byte length ${bytes} exceeds the limit ${support.maxTensorByteLength} (shape ${fmt(shape)})`);
  }
  return { type: tensorType(dataType, shape), descriptor: d, bytes };
}
