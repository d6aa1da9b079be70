// The WebNN API objects: ML, MLContext, MLGraphBuilder, MLOperand, MLGraph, MLTensor. Graph building is
// validated in the page (src/validation.js); contexts, tensors, graphs and dispatch live in the local
// Anneau service, reached through src/session.js.

import { DATA_TYPES, ENUMS, byteLength, elementCount, fmt, idlDictionary, idlEnum, idlMLNumber, castToFloat, castToInteger, numberToHalf } from './types.js';
import {
  OPERATORS, validateCall, checkDescriptor, operandsOf, supportFromLimits, specSupport, tensorType,
} from './validation.js';
import { Service } from './session.js';

const INTERNAL = Symbol('anneau.internal');
const CONSTRUCT = Symbol('anneau.construct');

function invalidState(message) {
  return new DOMException(message, 'InvalidStateError');
}

function illegalConstructor() {
  return new TypeError('Illegal constructor');
}

/** Bytes of a BufferSource (ArrayBuffer, SharedArrayBuffer or a view), without copying. */
function bytesOf(source, what) {
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    return new Uint8Array(source);
  }
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError(`${what} must be an ArrayBuffer or an ArrayBufferView`);
}

const VIEW_TYPES = {
  float32: ['Float32Array'],
  float16: ['Float16Array', 'Uint16Array'],
  int32: ['Int32Array'],
  uint32: ['Uint32Array'],
  int64: ['BigInt64Array'],
  uint64: ['BigUint64Array'],
  int8: ['Int8Array'],
  uint8: ['Uint8Array'],
  int4: ['Int8Array', 'Uint8Array'],
  uint4: ['Uint8Array'],
};

function viewName(v) {
  return Object.prototype.toString.call(v).slice(8, -1);
}

// ------------------------------------------------------------------------------------------ MLOperand

export class MLOperand {
  constructor(key, builder, type, kind, extra = {}) {
    if (key !== CONSTRUCT) throw illegalConstructor();
    this[INTERNAL] = { builder, type, kind, id: builder[INTERNAL].operands.length, ...extra };
    builder[INTERNAL].operands.push(this);
  }

  get dataType() { return this[INTERNAL].type.dataType; }

  get shape() { return Array.from(this[INTERNAL].type.shape); }

  get [Symbol.toStringTag]() { return 'MLOperand'; }
}

// ------------------------------------------------------------------------------------------ MLTensor

export class MLTensor {
  constructor(key, context, id, type, flags) {
    if (key !== CONSTRUCT) throw illegalConstructor();
    this[INTERNAL] = { context, id, type, ...flags, destroyed: false, error: null };
  }

  get dataType() { return this[INTERNAL].type.dataType; }

  get shape() { return Array.from(this[INTERNAL].type.shape); }

  get readable() { return this[INTERNAL].readable; }

  get writable() { return this[INTERNAL].writable; }

  get constant() { return this[INTERNAL].constant; }

  destroy() {
    const t = this[INTERNAL];
    if (t.destroyed) return;
    t.destroyed = true;
    t.context[INTERNAL].post({ type: 'destroy', tensor: t.id });
  }

  get [Symbol.toStringTag]() { return 'MLTensor'; }
}

// ------------------------------------------------------------------------------------------ MLGraph

export class MLGraph {
  constructor(key, context, id, inputs, outputs) {
    if (key !== CONSTRUCT) throw illegalConstructor();
    this[INTERNAL] = { context, id, inputs, outputs, destroyed: false };
  }

  destroy() {
    const g = this[INTERNAL];
    if (g.destroyed) return;
    g.destroyed = true;
    g.context[INTERNAL].post({ type: 'destroy', graph: g.id });
  }

  get [Symbol.toStringTag]() { return 'MLGraph'; }
}

// ------------------------------------------------------------------------------------------ MLContext

export class MLContext {
  constructor(key, session, support) {
    if (key !== CONSTRUCT) throw illegalConstructor();
    let resolveLost;
    const lost = new Promise((r) => { resolveLost = r; });
    const self = this;
    this[INTERNAL] = {
      session,
      support,
      lost,
      destroyed: false,
      lostInfo: null,
      nextTensor: 1,
      nextGraph: 1,
      ensureAlive(what) {
        if (this.destroyed) throw invalidState(`${what}: the MLContext has been destroyed`);
        if (this.lostInfo) throw invalidState(`${what}: the MLContext is lost (${this.lostInfo.message})`);
      },
      /** A request whose reply nobody awaits (writeTensor, dispatch, destroy): a failure marks what it touched. */
      post(header, parts, onError) {
        if (!session || session.closed) return;
        session.request(header, parts).catch((e) => {
          if (onError) onError(e);
          else if (!self[INTERNAL].lostInfo) console.warn(`anneau: ${header.type} failed:`, e);
        });
      },
    };
    if (session) {
      session.lostHandlers.push((info) => {
        const c = this[INTERNAL];
        c.lostInfo = { message: c.destroyed ? 'destroyed' : info.message };
        resolveLost(c.lostInfo);
      });
    }
    this[INTERNAL].resolveLost = resolveLost;
  }

  get lost() { return this[INTERNAL].lost; }

  /** Whether the service runs this context on an accelerator (an Anneau extension, as `MLContext.accelerated` in newer drafts). */
  get accelerated() { return this[INTERNAL].session?.accelerated ?? false; }

  /** The name of the service's backend (an Anneau extension). */
  get backend() { return this[INTERNAL].session?.backend ?? 'none'; }

  opSupportLimits() {
    const l = this[INTERNAL].session?.opSupportLimits;
    if (!l) return {};
    const copy = (x) => JSON.parse(JSON.stringify(x));
    return { preferredInputLayout: l.preferredInputLayout, maxTensorByteLength: l.maxTensorByteLength,
      input: copy(l.input), constant: copy(l.constant), output: copy(l.output), ...copy(l.operators) };
  }

  async createTensor(descriptor) {
    const c = this[INTERNAL];
    c.ensureAlive('createTensor');
    const { type, descriptor: d } = checkDescriptor(descriptor, c.support, 'createTensor');
    const flags = { readable: Boolean(d.readable), writable: Boolean(d.writable), constant: false };
    const id = c.nextTensor++;
    await c.session.request({ type: 'createTensor', tensor: id, dataType: type.dataType, shape: type.shape, ...flags });
    return new MLTensor(CONSTRUCT, this, id, type, flags);
  }

  async createConstantTensor(descriptor, data) {
    const c = this[INTERNAL];
    c.ensureAlive('createConstantTensor');
    const { type, bytes } = checkDescriptor(descriptor, c.support, 'createConstantTensor');
    const src = bytesOf(data, 'createConstantTensor: data');
    if (src.byteLength !== bytes) {
      throw new TypeError(`createConstantTensor: the data has ${src.byteLength} bytes; ${type.dataType} ${fmt(type.shape)} needs ${bytes}`);
    }
    const id = c.nextTensor++;
    await c.session.request({ type: 'createTensor', tensor: id, dataType: type.dataType, shape: type.shape, constant: true,
      byteLength: bytes }, [src]);
    return new MLTensor(CONSTRUCT, this, id, type, { readable: false, writable: false, constant: true });
  }

  writeTensor(tensor, data) {
    const c = this[INTERNAL];
    const t = this.#tensor(tensor, 'writeTensor');
    if (!t.writable) throw new TypeError('writeTensor: the tensor was not created with writable: true');
    const src = bytesOf(data, 'writeTensor: data');
    const need = byteLength(t.type.dataType, elementCount(t.type.shape));
    if (src.byteLength !== need) {
      throw new TypeError(`writeTensor: the data has ${src.byteLength} bytes; ${t.type.dataType} ${fmt(t.type.shape)} needs exactly ${need}`);
    }
    t.error = null;
    // the frame is encoded (the bytes copied) before post() returns: later changes to `data` do not count
    c.post({ type: 'writeTensor', tensor: t.id, byteLength: need }, [src], (e) => { t.error = e; });
  }

  async readTensor(tensor, outputData) {
    const c = this[INTERNAL];
    const t = this.#tensor(tensor, 'readTensor');
    if (!t.readable) throw new TypeError('readTensor: the tensor was not created with readable: true');
    let dest = null;
    if (outputData !== undefined) {
      dest = bytesOf(outputData, 'readTensor: outputData');
      const need = byteLength(t.type.dataType, elementCount(t.type.shape));
      if (dest.byteLength < need) throw new TypeError(`readTensor: outputData has ${dest.byteLength} bytes; the tensor needs ${need}`);
    }
    const reply = await c.session.request({ type: 'readTensor', tensor: t.id });
    if (t.destroyed) throw invalidState('readTensor: the tensor was destroyed before the read ran');
    if (t.error) throw t.error;
    if (dest) {
      dest.set(reply.payload);
      return undefined;
    }
    return reply.payload.slice().buffer;
  }

  dispatch(graph, inputs, outputs) {
    const c = this[INTERNAL];
    c.ensureAlive('dispatch');
    if (!(graph instanceof MLGraph)) throw new TypeError('dispatch: graph must be an MLGraph');
    const g = graph[INTERNAL];
    if (g.context !== this) throw new TypeError('dispatch: the graph was built for another MLContext');
    if (g.destroyed) throw invalidState('dispatch: the graph has been destroyed');
    const ins = this.#bindings('input', inputs, g.inputs);
    const outs = this.#bindings('output', outputs, g.outputs);
    const inTensors = new Set(Object.values(ins).map((t) => t.id));
    const seen = new Map();
    for (const [name, t] of Object.entries(outs)) {
      if (inTensors.has(t.id)) throw new TypeError(`dispatch: the tensor bound to output '${name}' is also bound to an input`);
      if (seen.has(t.id)) throw new TypeError(`dispatch: one tensor is bound to two outputs ('${seen.get(t.id)}' and '${name}')`);
      seen.set(t.id, name);
    }
    const ids = (m) => Object.fromEntries(Object.entries(m).map(([k, t]) => [k, t.id]));
    for (const t of Object.values(outs)) t.error = null;
    c.post({ type: 'dispatch', graph: g.id, inputs: ids(ins), outputs: ids(outs) }, undefined, (e) => {
      for (const t of Object.values(outs)) t.error = e;
    });
  }

  destroy() {
    const c = this[INTERNAL];
    if (c.destroyed) return;
    c.destroyed = true;
    if (c.session && !c.session.closed) {
      c.session.request({ type: 'destroy' }).catch(() => {}).finally(() => c.session.close());
    } else {
      c.lostInfo = { message: 'destroyed' };
      c.resolveLost(c.lostInfo);
    }
  }

  #tensor(tensor, what) {
    const c = this[INTERNAL];
    c.ensureAlive(what);
    if (!(tensor instanceof MLTensor)) throw new TypeError(`${what}: tensor must be an MLTensor`);
    const t = tensor[INTERNAL];
    if (t.context !== this) throw new TypeError(`${what}: the tensor belongs to another MLContext`);
    if (t.destroyed) throw new TypeError(`${what}: the tensor has been destroyed`);
    return t;
  }

  #bindings(kind, given, expected) {
    const m = idlDictionary(given, `dispatch: ${kind}s`, (msg) => new TypeError(msg));
    const names = Object.keys(m);
    const want = Object.keys(expected);
    if (names.length !== want.length || !want.every((n) => Object.hasOwn(m, n))) {
      throw new TypeError(`dispatch: ${kind}s must be exactly [${want.join(', ')}], got [${names.join(', ')}]`);
    }
    const out = {};
    for (const name of want) {
      const tensor = m[name];
      if (!(tensor instanceof MLTensor)) throw new TypeError(`dispatch: ${kind} '${name}' must be an MLTensor`);
      const t = tensor[INTERNAL];
      if (t.context !== this) throw new TypeError(`dispatch: ${kind} '${name}' belongs to another MLContext`);
      if (t.destroyed) throw new TypeError(`dispatch: ${kind} '${name}' has been destroyed`);
      if (t.constant) throw new TypeError(`dispatch: ${kind} '${name}' is a constant tensor`);
      const w = expected[name];
      if (t.type.dataType !== w.dataType || fmt(t.type.shape) !== fmt(w.shape)) {
        throw new TypeError(`dispatch: ${kind} '${name}' must be ${w.dataType} ${fmt(w.shape)}, the tensor is `
          + `${t.type.dataType} ${fmt(t.type.shape)}`);
      }
      out[name] = t;
    }
    return out;
  }

  get [Symbol.toStringTag]() { return 'MLContext'; }
}

// ------------------------------------------------------------------------------------------ MLGraphBuilder

export class MLGraphBuilder {
  constructor(context) {
    if (!(context instanceof MLContext)) throw new TypeError('MLGraphBuilder: context must be an MLContext');
    context[INTERNAL].ensureAlive('MLGraphBuilder');
    this[INTERNAL] = { context, operands: [], ops: [], inputNames: new Set(), built: false };
    const self = this;
    this[INTERNAL].env = {
      support: context[INTERNAL].support,
      isOperand: (v) => v instanceof MLOperand,
      typeOf: (v) => v[INTERNAL].type,
      belongs: (v) => v[INTERNAL].builder === self,
    };
    this[INTERNAL].call = (name, args) => this.#call(name, args);
  }

  #ensureBuildable() {
    const b = this[INTERNAL];
    b.context[INTERNAL].ensureAlive('MLGraphBuilder');
    if (b.built) throw invalidState('this MLGraphBuilder has already built a graph; create a new builder');
  }

  input(name, descriptor) {
    const b = this[INTERNAL];
    if (name === undefined) throw new TypeError('input: name is required');
    const n = String(name);
    const { type } = checkDescriptor(descriptor, b.env.support, `input '${n}'`);
    this.#ensureBuildable();
    if (n.length === 0) throw new TypeError('input: the name must not be empty');
    if (b.inputNames.has(n)) throw new TypeError(`input: the name '${n}' is already used by another input`);
    requireIoType(b.env.support, 'input', type, `input '${n}'`);
    b.inputNames.add(n);
    return new MLOperand(CONSTRUCT, this, type, 'input', { name: n });
  }

  constant(a, b, c) {
    const self = this[INTERNAL];
    if (a instanceof MLTensor) {
      this.#ensureBuildable();
      const t = a[INTERNAL];
      if (t.context !== self.context) throw new TypeError('constant: the tensor belongs to another MLContext');
      if (!t.constant) throw new TypeError('constant: the tensor was not created with createConstantTensor');
      if (t.destroyed) throw new TypeError('constant: the tensor has been destroyed');
      return new MLOperand(CONSTRUCT, this, t.type, 'constant', { tensor: t.id });
    }
    if (typeof a === 'string' && c === undefined && (typeof b === 'number' || typeof b === 'bigint' || b === undefined)) {
      // constant(MLOperandDataType type, MLNumber value): a 0-D constant
      const type = idlEnum(a, 'MLOperandDataType', 'constant: type', (m) => new TypeError(m));
      if (b === undefined) throw new TypeError('constant: value is required');
      const value = idlMLNumber(b, 'constant: value', (m) => new TypeError(m));
      this.#ensureBuildable();
      requireIoType(self.env.support, 'constant', tensorType(type, []), 'constant');
      return new MLOperand(CONSTRUCT, this, tensorType(type, []), 'constant', { bytes: scalarBytes(type, value) });
    }
    const { type, bytes } = checkDescriptor(a, self.env.support, 'constant');
    if (b === undefined || b === null) throw new TypeError('constant: buffer is required');
    const src = bytesOf(b, 'constant: buffer');
    if (ArrayBuffer.isView(b) && !(b instanceof DataView) && !VIEW_TYPES[type.dataType].includes(viewName(b))) {
      throw new TypeError(`constant: a ${viewName(b)} cannot hold ${type.dataType} data; use ${VIEW_TYPES[type.dataType].join(' or ')}`);
    }
    if (src.byteLength !== bytes) {
      throw new TypeError(`constant: the buffer has ${src.byteLength} bytes; ${type.dataType} ${fmt(type.shape)} needs exactly ${bytes}`);
    }
    this.#ensureBuildable();
    requireIoType(self.env.support, 'constant', type, 'constant');
    return new MLOperand(CONSTRUCT, this, type, 'constant', { bytes: src.slice() });
  }

  /** Validates and records one operator call (every operator method goes through here). */
  #call(operator, rawArgs) {
    const b = this[INTERNAL];
    const { args, outputs } = validateCall(operator, rawArgs, b.env, () => this.#ensureBuildable());
    const results = outputs.map((t) => new MLOperand(CONSTRUCT, this, t, 'op', { producer: b.ops.length }));
    b.ops.push({ op: operator, args, inputs: operandsOf(operator, args), outputs: results });
    return SEQUENCE_RESULTS.has(operator) ? results : results[0];
  }

  async build(outputs) {
    const b = this[INTERNAL];
    const ctx = b.context[INTERNAL];
    this.#ensureBuildable();
    const named = idlDictionary(outputs, 'build: outputs', (m) => new TypeError(m));
    const entries = Object.entries(named);
    if (entries.length === 0) throw new TypeError('build: at least one output is required');
    for (const [name, o] of entries) {
      if (!name) throw new TypeError('build: output names must not be empty');
      if (!(o instanceof MLOperand)) throw new TypeError(`build: output '${name}' must be an MLOperand`);
      if (o[INTERNAL].builder !== this) throw new TypeError(`build: output '${name}' was created by another MLGraphBuilder`);
      if (o[INTERNAL].kind !== 'op') {
        throw new TypeError(`build: output '${name}' is a graph ${o[INTERNAL].kind}; outputs must be computed by an operator `
          + '(use identity() to pass one through)');
      }
      requireIoType(b.env.support, 'output', o[INTERNAL].type, `build: output '${name}'`);
    }
    b.built = true;
    const message = serializeGraph(b, entries);
    const id = ctx.nextGraph++;
    await ctx.session.request({ type: 'build', graph: id, ...message.header }, message.parts);
    const describe = (o) => ({ dataType: o[INTERNAL].type.dataType, shape: o[INTERNAL].type.shape });
    const inputs = {};
    for (const o of message.inputs) inputs[o[INTERNAL].name] = describe(o);
    return new MLGraph(CONSTRUCT, b.context, id, inputs, Object.fromEntries(entries.map(([k, o]) => [k, describe(o)])));
  }

  get [Symbol.toStringTag]() { return 'MLGraphBuilder'; }
}

/** Operators that return a sequence of operands. */
export const SEQUENCE_RESULTS = new Set(['split', 'gru', 'lstm', 'lstmCell']);

for (const name of OPERATORS) {
  Object.defineProperty(MLGraphBuilder.prototype, name, {
    value: {
      [name](...args) {
        if (!(this instanceof MLGraphBuilder)) throw new TypeError('Illegal invocation');
        return this[INTERNAL].call(name, args);
      },
    }[name],
    writable: true, configurable: true, enumerable: false,
  });
}

function requireIoType(support, kind, type, what) {
  const ok = support.dataTypes(kind, kind);
  if (ok && !ok.has(type.dataType)) throw new TypeError(`${what}: data type ${type.dataType} is not supported by this context`);
}

/** The little-endian bytes of a 0-D constant holding `value` (the spec's cast into `type`). */
function scalarBytes(type, value) {
  const out = new Uint8Array(Math.max(1, byteLength(type, 1)));
  const v = new DataView(out.buffer);
  const t = DATA_TYPES[type];
  if (type === 'float32') v.setFloat32(0, castToFloat(value, type), true);
  else if (type === 'float16') v.setUint16(0, numberToHalf(castToFloat(value, type)), true);
  else {
    const i = castToInteger(value, type);
    if (t.bits === 64) v.setBigUint64(0, BigInt.asUintN(64, i), true);
    else if (t.bits === 32) v.setUint32(0, Number(BigInt.asUintN(32, i)), true);
    else if (t.bits === 8) v.setUint8(0, Number(BigInt.asUintN(8, i)));
    else v.setUint8(0, Number(BigInt.asUintN(4, i)));
  }
  return out;
}

/** The `build` message (docs/bridge-protocol.md): only what the outputs need, constants as payload blobs. */
function serializeGraph(b, entries) {
  const needed = new Set();
  const neededOps = new Set();
  const stack = entries.map(([, o]) => o);
  while (stack.length) {
    const o = stack.pop();
    const s = o[INTERNAL];
    if (needed.has(s.id)) continue;
    needed.add(s.id);
    if (s.kind === 'op' && !neededOps.has(s.producer)) {
      neededOps.add(s.producer);
      for (const x of b.ops[s.producer].inputs) stack.push(x);
    }
  }
  const inputs = [];
  const constants = [];
  const parts = [];
  let offset = 0;
  for (const o of b.operands) {
    const s = o[INTERNAL];
    if (!needed.has(s.id)) continue;
    if (s.kind === 'input') {
      inputs.push(o);
    } else if (s.kind === 'constant') {
      const d = { operand: s.id, dataType: s.type.dataType, shape: s.type.shape };
      if (s.tensor !== undefined) {
        d.tensor = s.tensor;
      } else {
        const pad = (8 - (offset % 8)) % 8; // keep each blob 8-byte aligned
        if (pad) {
          parts.push(new Uint8Array(pad));
          offset += pad;
        }
        d.offset = offset;
        d.byteLength = s.bytes.byteLength;
        parts.push(s.bytes);
        offset += s.bytes.byteLength;
      }
      constants.push(d);
    }
  }
  const ops = [];
  b.ops.forEach((op, i) => {
    if (!neededOps.has(i)) return;
    ops.push({ op: op.op, args: op.args.map((a) => wireValue(a)), outputs: op.outputs.map((o) => o[INTERNAL].id) });
  });
  return {
    inputs,
    parts,
    header: {
      inputs: inputs.map((o) => ({ name: o[INTERNAL].name, operand: o[INTERNAL].id, dataType: o.dataType, shape: o[INTERNAL].type.shape })),
      constants,
      ops,
      outputs: Object.fromEntries(entries.map(([k, o]) => [k, o[INTERNAL].id])),
    },
  };
}

/** A converted argument as JSON for the service: operands become {"$operand": id}. */
function wireValue(v) {
  if (v instanceof MLOperand) return { $operand: v[INTERNAL].id };
  if (Array.isArray(v)) return v.map((x) => wireValue(x));
  if (v !== null && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'roundingType') {
        if (v.outputShapeRounding === undefined) out.outputShapeRounding = x; // the spec's name for the legacy member
        continue;
      }
      out[k] = wireValue(x);
    }
    return out;
  }
  return v;
}

// ------------------------------------------------------------------------------------------ ML

export class ML {
  constructor(key, options) {
    if (key !== CONSTRUCT) throw illegalConstructor();
    this[INTERNAL] = { service: new Service(options), options };
  }

  /** The local service this polyfill talks to (an Anneau extension). */
  get service() { return this[INTERNAL].service.url; }

  async createContext(options) {
    if (options !== undefined && options !== null && typeof options === 'object' && typeof options.requestAdapterInfo === 'function') {
      throw new DOMException('createContext(GPUDevice) is not supported by the Anneau polyfill', 'NotSupportedError');
    }
    const o = idlDictionary(options, 'createContext: options', (m) => new TypeError(m));
    const ctxOptions = {};
    if (o.powerPreference !== undefined) {
      ctxOptions.powerPreference = idlEnum(o.powerPreference, 'MLPowerPreference', 'options.powerPreference', (m) => new TypeError(m));
    }
    if (o.accelerated !== undefined) ctxOptions.accelerated = Boolean(o.accelerated);
    const session = await this[INTERNAL].service.openSession(ctxOptions);
    return new MLContext(CONSTRUCT, session, supportFromLimits(session.opSupportLimits));
  }

  get [Symbol.toStringTag]() { return 'ML'; }
}

/** A polyfill ML object (not installed anywhere). Options: see Service in session.js. */
export function createML(options = {}) {
  return new ML(CONSTRUCT, options);
}

/**
 * A context that is not connected to any service, for validating graphs offline (tests, tools): building works
 * (shape inference, TypeErrors) against `limits` (an opSupportLimits reply) or everything the spec allows;
 * build(), tensors and dispatch reject.
 */
export function createOfflineContext(limits) {
  const support = limits ? supportFromLimits(limits) : specSupport();
  const session = {
    closed: false,
    lostHandlers: [],
    opSupportLimits: limits ?? null,
    request: () => Promise.reject(new DOMException('this MLContext is offline (no service)', 'NotSupportedError')),
    close() {},
  };
  return new MLContext(CONSTRUCT, session, support);
}

/** Internal: the validated type of an operand (for tools and tests). */
export function operandType(operand) {
  return operand[INTERNAL].type;
}

export { ENUMS };
