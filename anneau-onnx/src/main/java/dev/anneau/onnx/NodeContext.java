package dev.anneau.onnx;

import com.google.protobuf.ByteString;
import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator mapper sees of one node: its inputs (as WebNN operands, or as constants
 * where they are known at import time), its attributes, and where to put its outputs. Reading
 * an attribute marks it as understood; after the mapper runs, any attribute it did not read is
 * reported as unsupported, so no attribute is ever ignored silently.
 */
final class NodeContext {
    final GraphImport imp;
    final NodeProto node;
    final int index;
    final int opset;
    final Scope scope;
    private final Value[] inputs;
    private final Map<String, AttributeProto> attrs = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    final Value[] outputs;

    NodeContext(GraphImport imp, NodeProto node, int index, int opset, Scope scope, Value[] inputs) {
        this.imp = imp;
        this.node = node;
        this.index = index;
        this.opset = opset;
        this.scope = scope;
        this.inputs = inputs;
        for (AttributeProto a : node.getAttributeList()) attrs.put(a.getName(), a);
        this.outputs = new Value[node.getOutputCount()];
    }

    // ------------------------------------------------------------------ identity

    String opType() { return node.getOpType(); }

    String name() { return node.getName().isEmpty() ? "#" + index : node.getName(); }

    int opset() { return opset; }

    MLGraphBuilder b() { return imp.builder(); }

    // ------------------------------------------------------------------ inputs

    /** Number of input slots listed (empty names included). */
    int inputCount() { return inputs.length; }

    /** True when input {@code i} is given (listed with a non-empty name). */
    boolean has(int i) { return i < inputs.length && inputs[i] != null; }

    Value value(int i) {
        if (!has(i)) throw unsupported("input %d is required", i);
        return inputs[i];
    }

    boolean isConst(int i) { return has(i) && inputs[i].isConstant(); }

    ElementType type(int i) { return value(i).type; }

    long[] shape(int i) { return value(i).shape.clone(); }

    int rank(int i) { return value(i).shape.length; }

    /** Input {@code i} as a graph operand (constants are added to the graph once, on first use). */
    MLOperand in(int i) {
        Value v = value(i);
        return v.operand != null ? v.operand : imp.constantOperand(v.constant);
    }

    /** Input {@code i}'s value, which must be known at import time. */
    OnnxTensor constIn(int i) {
        Value v = value(i);
        if (v.constant == null) throw new NeedsConstant(v, this, i);
        return v.constant;
    }

    /** Input {@code i} as longs (a constant int tensor such as shape, axes, pads), or null when absent. */
    long[] constLongs(int i) {
        if (!has(i)) return null;
        return constIn(i).toLongArray();
    }

    /** The first element of constant input {@code i} as a double, or {@code dflt} when absent. */
    double constScalar(int i, double dflt) {
        if (!has(i)) return dflt;
        OnnxTensor t = constIn(i);
        if (t.size() != 1) throw unsupported("input %d must hold one value, got shape %s", i, Arrays.toString(t.shape()));
        return t.getDouble(0);
    }

    List<Value> inputValues() {
        List<Value> l = new ArrayList<>();
        for (Value v : inputs) if (v != null) l.add(v);
        return l;
    }

    Set<String> deps() { return Value.union(inputValues()); }

    // ------------------------------------------------------------------ outputs

    int outputCount() { return node.getOutputCount(); }

    /** True when output {@code i} is listed with a non-empty name. */
    boolean wantsOutput(int i) { return i < node.getOutputCount() && !node.getOutput(i).isEmpty(); }

    /** Sets output {@code i} to a graph operand of the ONNX type matching its WebNN type. */
    void out(int i, MLOperand op) { out(i, op, ElementType.fromWebNN(op.dataType())); }

    /** Sets output {@code i}; {@code type} tells bool from uint8. */
    void out(int i, MLOperand op, ElementType type) {
        if (!wantsOutput(i)) return;
        outputs[i] = Value.ofOperand(node.getOutput(i), op, type, deps());
    }

    void outConst(int i, OnnxTensor t) {
        if (!wantsOutput(i)) return;
        outputs[i] = Value.ofConstant(node.getOutput(i), t, deps());
    }

    /** Passes a value through unchanged (Identity and friends). */
    void outValue(int i, Value v) {
        if (!wantsOutput(i)) return;
        outputs[i] = v.constant != null ? Value.ofConstant(node.getOutput(i), v.constant, v.inputDeps)
                : Value.ofOperand(node.getOutput(i), v.operand, v.type, v.inputDeps);
    }

    // ------------------------------------------------------------------ attributes

    boolean hasAttr(String name) { return attrs.containsKey(name); }

    private AttributeProto attr(String name) {
        read.add(name);
        return attrs.get(name);
    }

    /** Marks attributes as understood without reading them (they do not change inference results). */
    void ignore(String... names) { read.addAll(Arrays.asList(names)); }

    long attrInt(String name, long dflt) {
        AttributeProto a = attr(name);
        if (a == null) return dflt;
        if (a.getType() != AttributeProto.AttributeType.INT && !a.hasI()) throw badAttr(a, "an int");
        return a.getI();
    }

    int attrIntChecked(String name, long dflt) {
        long v = attrInt(name, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw unsupported("attribute %s=%d is out of range", name, v);
        return (int) v;
    }

    float attrFloat(String name, float dflt) {
        AttributeProto a = attr(name);
        if (a == null) return dflt;
        if (a.getType() == AttributeProto.AttributeType.INT) return a.getI();
        if (a.getType() != AttributeProto.AttributeType.FLOAT && !a.hasF()) throw badAttr(a, "a float");
        return a.getF();
    }

    String attrString(String name, String dflt) {
        AttributeProto a = attr(name);
        if (a == null) return dflt;
        if (a.getType() != AttributeProto.AttributeType.STRING && !a.hasS()) throw badAttr(a, "a string");
        return a.getS().toString(StandardCharsets.UTF_8);
    }

    /** An INTS attribute, or null when absent. */
    long[] attrInts(String name) {
        AttributeProto a = attr(name);
        if (a == null) return null;
        if (a.getType() != AttributeProto.AttributeType.INTS && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            throw badAttr(a, "a list of ints");
        }
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) v[i] = a.getInts(i);
        return v;
    }

    float[] attrFloats(String name) {
        AttributeProto a = attr(name);
        if (a == null) return null;
        if (a.getType() != AttributeProto.AttributeType.FLOATS && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            throw badAttr(a, "a list of floats");
        }
        float[] v = new float[a.getFloatsCount()];
        for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
        return v;
    }

    List<String> attrStrings(String name) {
        AttributeProto a = attr(name);
        if (a == null) return null;
        List<String> l = new ArrayList<>();
        for (ByteString s : a.getStringsList()) l.add(s.toString(StandardCharsets.UTF_8));
        return l;
    }

    OnnxTensor attrTensor(String name) {
        AttributeProto a = attr(name);
        if (a == null) return null;
        if (!a.hasT()) throw badAttr(a, "a tensor");
        TensorProto t = a.getT();
        return TensorProtos.toTensor(t, imp.model().baseDir(), "attribute " + name + " of node " + name());
    }

    GraphProto attrGraph(String name) {
        AttributeProto a = attr(name);
        if (a == null) return null;
        if (!a.hasG()) throw badAttr(a, "a graph");
        return a.getG();
    }

    /** Attributes the mapper did not read. */
    List<String> unreadAttributes() {
        List<String> l = new ArrayList<>();
        for (String n : attrs.keySet()) if (!read.contains(n)) l.add(n);
        return l;
    }

    private Unsupported badAttr(AttributeProto a, String want) {
        return unsupported("attribute %s must be %s (got type %s)", a.getName(), want, a.getType());
    }

    // ------------------------------------------------------------------ helpers

    Unsupported unsupported(String format, Object... args) {
        return new Unsupported(String.format(java.util.Locale.ROOT, format, args));
    }

    /** Normalizes a possibly negative axis for {@code rank}; out of range is an error naming the node. */
    int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw unsupported("axis %d is out of range for rank %d", axis, rank);
        }
        return (int) a;
    }

    /** A WebNN scalar constant broadcastable against anything. */
    MLOperand scalar(MLOperandDataType type, double value) { return imp.scalarOperand(type, value); }

    /** A constant operand for a Java-side tensor. */
    MLOperand constant(OnnxTensor t) { return imp.constantOperand(t); }

    /** Thrown by a mapper for something it cannot map (the message says what). */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) { super(message, null, false, false); }
    }

    /** Thrown when a mapper needs an input's value at import time but it is computed by the graph. */
    static final class NeedsConstant extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Value value;

        NeedsConstant(Value value, NodeContext cx, int input) {
            super("input " + input + " ('" + value.name + "') must be known at import time"
                    + (value.inputDeps.isEmpty() ? ", but it is computed by the graph"
                    : ", but it is computed from graph input(s) " + value.inputDeps
                    + " (fix their values with ImportOptions.withInputValue, as OnnxSession does)"), null, false, false);
            this.value = value;
        }
    }
}
