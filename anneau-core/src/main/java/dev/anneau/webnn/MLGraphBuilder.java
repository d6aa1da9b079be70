package dev.anneau.webnn;

import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The WebNN {@code MLGraphBuilder}. Every operator method validates its arguments and infers
 * the output type synchronously, as the spec's "create" steps do, throwing a {@link TypeError}
 * labelled with {@code options.label} on a bad argument and an {@link InvalidStateError} once the
 * builder has built a graph or its context is destroyed.
 *
 * <p>The 95 operators are declared by family in the interfaces this class implements
 * ({@link ElementwiseMethods}, {@link ActivationMethods}, {@link ReductionMethods},
 * {@link NormalizationMethods}, {@link ConvolutionMethods}, {@link PoolingMethods},
 * {@link MatrixMethods}, {@link ShapeMethods}, {@link RecurrentMethods},
 * {@link QuantizationMethods}); each has a {@code dev.anneau.webnn.ops} validator beside it.
 */
public final class MLGraphBuilder implements ElementwiseMethods, ActivationMethods, ReductionMethods,
        NormalizationMethods, ConvolutionMethods, PoolingMethods, MatrixMethods, ShapeMethods, RecurrentMethods,
        QuantizationMethods {

    private final MLContext context;
    private final List<MLOperand> operands = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, MLOperand> inputs = new LinkedHashMap<>();
    private boolean built;

    public MLGraphBuilder(MLContext context) {
        if (context == null) throw new TypeError("MLGraphBuilder: context is required");
        context.ensureAlive();
        this.context = context;
    }

    public MLContext context() { return context; }

    // ------------------------------------------------------------------ inputs and constants

    /** Declares a named graph input. */
    public synchronized MLOperand input(String name, MLOperandDescriptor descriptor) {
        ensureBuildable();
        if (name == null || name.isEmpty()) throw new TypeError("input: the name must not be empty");
        if (inputs.containsKey(name)) throw new TypeError("input: the name '" + name + "' is already used by another input");
        if (descriptor == null) throw new TypeError("input '" + name + "': descriptor is required");
        TensorType type = Buffers.checkedType(descriptor, context.support(), "input '" + name + "'");
        requireGraphIoType("input", type, "input '" + name + "'");
        MLOperand op = new MLOperand(this, operands.size(), type, MLOperand.Kind.INPUT, name, null);
        operands.add(op);
        inputs.put(name, op);
        return op;
    }

    /** A constant from little-endian bytes (exactly the descriptor's byte length); the bytes are copied. */
    public synchronized MLOperand constant(MLOperandDescriptor descriptor, ByteBuffer data) {
        ensureBuildable();
        if (descriptor == null) throw new TypeError("constant: descriptor is required");
        TensorType type = Buffers.checkedType(descriptor, context.support(), "constant");
        requireGraphIoType("constant", type, "constant");
        ByteBuffer copy = Buffers.copyExact(data, type, "constant");
        MLOperand op = new MLOperand(this, operands.size(), type, MLOperand.Kind.CONSTANT, null, copy);
        operands.add(op);
        return op;
    }

    public MLOperand constant(MLOperandDescriptor descriptor, byte[] data) {
        return constant(descriptor, data == null ? null : ByteBuffer.wrap(data));
    }

    public MLOperand constant(MLOperandDescriptor descriptor, float[] data) {
        requireArrayType(descriptor, "Float32Array", MLOperandDataType.FLOAT32);
        return constant(descriptor, data == null ? null : Buffers.of(data));
    }

    /** int32/uint32 data. */
    public MLOperand constant(MLOperandDescriptor descriptor, int[] data) {
        requireArrayType(descriptor, "int[]", MLOperandDataType.INT32, MLOperandDataType.UINT32);
        return constant(descriptor, data == null ? null : Buffers.of(data));
    }

    /** int64/uint64 data. */
    public MLOperand constant(MLOperandDescriptor descriptor, long[] data) {
        requireArrayType(descriptor, "long[]", MLOperandDataType.INT64, MLOperandDataType.UINT64);
        return constant(descriptor, data == null ? null : Buffers.of(data));
    }

    /** float16 data as raw 16-bit patterns. */
    public MLOperand constant(MLOperandDescriptor descriptor, short[] data) {
        requireArrayType(descriptor, "short[] (float16 bits)", MLOperandDataType.FLOAT16);
        return constant(descriptor, data == null ? null : Buffers.of(data));
    }

    /** A 0-D constant of {@code dataType} holding {@code value} (an MLNumber: Double, Long, BigInteger...). */
    public MLOperand constant(MLOperandDataType dataType, Number value) {
        if (value == null) throw new TypeError("constant: value is required");
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        NumberCodec.put(b, dataType, value);
        b.flip();
        return constant(new MLOperandDescriptor(dataType, new long[0]), b);
    }

    /** A constant whose data lives in a tensor made by {@code createConstantTensor}. */
    public synchronized MLOperand constant(MLTensor tensor) {
        ensureBuildable();
        if (tensor == null) throw new TypeError("constant: tensor is required");
        if (tensor.context() != context) throw new TypeError("constant: the tensor belongs to another MLContext");
        if (!tensor.constant()) throw new TypeError("constant: the tensor was not created with createConstantTensor");
        if (tensor.isDestroyed()) throw new TypeError("constant: the tensor has been destroyed");
        ByteBuffer data = context.readTensorBytesForConstant(tensor);
        MLOperand op = new MLOperand(this, operands.size(), tensor.type(), MLOperand.Kind.CONSTANT, null, data);
        operands.add(op);
        return op;
    }

    private static void requireArrayType(MLOperandDescriptor d, String arrayType, MLOperandDataType... allowed) {
        if (d == null) return;
        for (MLOperandDataType t : allowed) if (d.dataType() == t) return;
        throw new TypeError("constant: " + arrayType + " data cannot back a " + d.dataType() + " operand; pass a ByteBuffer or the matching array type");
    }

    private void requireGraphIoType(String kind, TensorType type, String what) {
        Set<MLOperandDataType> ok = context.support().dataTypes(kind, kind);
        if (ok != null && !ok.contains(type.dataType())) {
            throw new UnsupportedOperandError(what + ": data type " + type.dataType() + " is not supported by this context");
        }
    }

    // ------------------------------------------------------------------ plumbing for the operator families

    synchronized OpCheck begin(String operator, MLOptions options) {
        ensureBuildable();
        return new OpCheck(operator, options == null ? null : options.label(), context.support());
    }

    /** Checks that a required operand is present and from this builder, then checks it against the spec table. */
    TensorType use(OpCheck check, String name, MLOperand operand) {
        if (operand == null) throw check.error("%s is required", name);
        if (operand.builder() != this) throw check.error("%s was created by another MLGraphBuilder", name);
        return check.operand(name, operand.type());
    }

    /** As {@link #use} for an optional operand: null stays null. */
    TensorType useOptional(OpCheck check, String name, MLOperand operand) {
        return operand == null ? null : use(check, name, operand);
    }

    /** Checks membership only (for operands the spec table lists under a group name, e.g. concat's inputs). */
    void requireMember(OpCheck check, String name, MLOperand operand) {
        if (operand == null) throw check.error("%s is required", name);
        if (operand.builder() != this) throw check.error("%s was created by another MLGraphBuilder", name);
    }

    /**
     * Records a validated operation and returns its outputs. {@code inputs} lists every operand
     * the operation reads, in the family's order, with null for absent optional operands.
     */
    synchronized MLOperand[] emit(OpCheck check, Object attributes, List<MLOperand> inputs, TensorType... outputs) {
        ensureBuildable();
        MLOperand[] out = new MLOperand[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            out[i] = new MLOperand(this, operands.size(), outputs[i], MLOperand.Kind.OPERATION, null, null);
            operands.add(out[i]);
        }
        Operation op = new Operation(check.operator(), check.label(),
                Collections.unmodifiableList(new ArrayList<>(inputs)), attributes, List.of(out));
        for (MLOperand o : out) o.producer(op);
        operations.add(op);
        return out;
    }

    private void ensureBuildable() {
        context.ensureAlive();
        if (built) throw new InvalidStateError("this MLGraphBuilder has already built a graph; create a new builder");
    }

    // ------------------------------------------------------------------ build

    /**
     * Builds the graph computing {@code outputs}. Only the operations those outputs need are kept.
     * Rejects with TypeError on bad outputs (the builder stays usable) and InvalidStateError if
     * the builder already built or the context is destroyed.
     */
    public CompletableFuture<MLGraph> build(Map<String, MLOperand> outputs) {
        GraphDefinition def;
        try {
            def = define(outputs);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return context.compile(def);
    }

    private synchronized GraphDefinition define(Map<String, MLOperand> outputs) {
        ensureBuildable();
        if (outputs == null || outputs.isEmpty()) throw new TypeError("build: at least one output is required");
        for (var e : outputs.entrySet()) {
            MLOperand o = e.getValue();
            if (e.getKey() == null || e.getKey().isEmpty()) throw new TypeError("build: output names must not be empty");
            if (o == null) throw new TypeError("build: output '" + e.getKey() + "' is null");
            if (o.builder() != this) throw new TypeError("build: output '" + e.getKey() + "' was created by another MLGraphBuilder");
            if (o.kind() != MLOperand.Kind.OPERATION) {
                throw new TypeError("build: output '" + e.getKey() + "' is a graph " + (o.kind() == MLOperand.Kind.INPUT ? "input" : "constant")
                        + "; outputs must be computed by an operator (use identity() to pass one through)");
            }
            requireGraphIoType("output", o.type(), "build: output '" + e.getKey() + "'");
        }
        BitSet needed = new BitSet(operands.size());
        List<MLOperand> stack = new ArrayList<>(outputs.values());
        Set<Operation> ops = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!stack.isEmpty()) {
            MLOperand o = stack.removeLast();
            if (needed.get(o.id())) continue;
            needed.set(o.id());
            if (o.producer() != null && ops.add(o.producer())) {
                for (MLOperand in : o.producer().inputs()) if (in != null) stack.add(in);
            }
        }
        List<Operation> ordered = new ArrayList<>();
        for (Operation op : operations) if (ops.contains(op)) ordered.add(op);
        Map<String, MLOperand> usedInputs = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) if (needed.get(e.getValue().id())) usedInputs.put(e.getKey(), e.getValue());
        List<MLOperand> constants = new ArrayList<>();
        for (MLOperand o : operands) if (o.kind() == MLOperand.Kind.CONSTANT && needed.get(o.id())) constants.add(o);
        built = true;
        return new GraphDefinition(Collections.unmodifiableMap(usedInputs), List.copyOf(constants), List.copyOf(ordered),
                Collections.unmodifiableMap(new LinkedHashMap<>(outputs)), operands.size());
    }

    static int[] copyOrNull(int[] a) { return a == null ? null : a.clone(); }

    static Set<Integer> set(int... values) {
        Set<Integer> s = new HashSet<>();
        for (int v : values) s.add(v);
        return s;
    }

    @Override
    public String toString() {
        return "MLGraphBuilder(" + operations.size() + " operations" + (built ? ", built" : "") + ")" + Arrays.toString(new int[0]);
    }
}
