package dev.anneau.backend.ort.lowering;

import com.google.protobuf.ByteString;
import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.ops.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where lowerings write: ONNX value names for WebNN operands, fresh names, nodes and
 * initializers. Values are named {@code v<id>} for operands and {@code t<n>} for temporaries, so
 * they can never clash with graph input/output names (which carry an {@code i:}/{@code o:} prefix).
 */
public final class LoweringContext {
    private final GraphProto.Builder graph;
    private final Map<Integer, String> names = new HashMap<>();
    private int counter;

    public LoweringContext(GraphProto.Builder graph) { this.graph = graph; }

    /** The ONNX value holding an operand (an input, constant or earlier output). */
    public String value(MLOperand operand) {
        String n = names.get(operand.id());
        if (n == null) throw new IllegalStateException("operand " + operand + " has no ONNX value yet");
        return n;
    }

    /** Value name or "" (ONNX's absent optional input) for null. */
    public String valueOrEmpty(MLOperand operand) { return operand == null ? "" : value(operand); }

    public void bind(MLOperand operand, String value) { names.put(operand.id(), value); }

    /** The name an operand's output should get when a lowering writes it directly. */
    public String outputName(MLOperand operand) {
        String n = "v" + operand.id();
        names.put(operand.id(), n);
        return n;
    }

    public String fresh() { return "t" + (counter++); }

    /** Starts a node; finish it with {@link NodeBuilder#out}. */
    public NodeBuilder op(String opType, String... inputs) {
        NodeBuilder b = new NodeBuilder(opType);
        b.node.addAllInput(Arrays.asList(inputs));
        return b;
    }

    /** A node with one fresh output; returns its name. */
    public String apply(String opType, String... inputs) { return op(opType, inputs).out(); }

    public final class NodeBuilder {
        final NodeProto.Builder node = NodeProto.newBuilder();

        NodeBuilder(String opType) {
            node.setOpType(opType);
            node.setName("n" + graph.getNodeCount() + "_" + opType);
        }

        public NodeBuilder domain(String d) { node.setDomain(d); return this; }

        public NodeBuilder attr(String name, long v) {
            node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v));
            return this;
        }

        public NodeBuilder attr(String name, float v) {
            node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v));
            return this;
        }

        public NodeBuilder attr(String name, String v) {
            node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(v)));
            return this;
        }

        public NodeBuilder attr(String name, long[] v) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) a.addInts(x);
            node.addAttribute(a);
            return this;
        }

        public NodeBuilder attr(String name, int[] v) {
            return attr(name, Arrays.stream(v).asLongStream().toArray());
        }

        public NodeBuilder attr(String name, float[] v) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
            for (float x : v) a.addFloats(x);
            node.addAttribute(a);
            return this;
        }

        public NodeBuilder attr(String name, List<String> v) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
            for (String x : v) a.addStrings(ByteString.copyFromUtf8(x));
            node.addAttribute(a);
            return this;
        }

        public NodeBuilder attr(String name, TensorProto t) {
            node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t));
            return this;
        }

        /** Finishes the node with the given output names ("" for an unused optional output). */
        public void out(String... outputs) {
            node.addAllOutput(Arrays.asList(outputs));
            graph.addNode(node);
        }

        /** Finishes the node with one fresh output and returns its name. */
        public String out() {
            String n = fresh();
            out(n);
            return n;
        }
    }

    // ------------------------------------------------------------------ initializers

    public String initializer(TensorProto.Builder t) {
        String n = fresh();
        graph.addInitializer(t.setName(n));
        return n;
    }

    /** A 1-D int64 tensor (shapes, axes, pads, starts...). */
    public String int64s(long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        return initializer(t);
    }

    public String int64s(int... values) { return int64s(Arrays.stream(values).asLongStream().toArray()); }

    /** A 0-D int64 scalar. */
    public String int64Scalar(long v) {
        return initializer(TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64.getNumber()).addInt64Data(v));
    }

    /** A 0-D scalar of a WebNN data type holding {@code v} (rounded once to that type). */
    public String scalar(MLOperandDataType type, double v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT32 -> b.putFloat((float) v);
            case FLOAT16 -> b.putShort(dev.anneau.webnn.ops.Numbers.doubleToHalf(v));
            case INT32, UINT32 -> b.putInt((int) (long) v);
            case INT64, UINT64 -> b.putLong((long) v);
            case INT8, UINT8, INT4, UINT4 -> b.put((byte) (long) v);
        }
        b.flip();
        return raw(type, new int[0], b);
    }

    /** A scalar with the exact 64-bit pattern {@code bits} (for int64/uint64 bounds). */
    public String scalarBits(MLOperandDataType type, long bits) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case INT32, UINT32 -> b.putInt((int) bits);
            case INT64, UINT64 -> b.putLong(bits);
            case INT8, UINT8 -> b.put((byte) bits);
            default -> throw new IllegalArgumentException("scalarBits for " + type);
        }
        b.flip();
        return raw(type, new int[0], b);
    }

    /** An initializer from WebNN little-endian bytes (4-bit types are re-packed as ONNX wants: the same layout). */
    public String raw(MLOperandDataType type, int[] dims, ByteBuffer littleEndian) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(OnnxTypes.of(type).getNumber());
        for (int d : dims) t.addDims(d);
        t.setRawData(ByteString.copyFrom(littleEndian.duplicate()));
        return initializer(t);
    }

    /** Cast helper. */
    public String cast(String value, MLOperandDataType to) {
        return op("Cast", value).attr("to", OnnxTypes.of(to).getNumber()).out();
    }

    public String castTo(String value, TensorProto.DataType to) {
        return op("Cast", value).attr("to", to.getNumber()).out();
    }

    /** A graph-level value info name for a type (used for inputs/outputs). */
    public static List<Long> dims(TensorType t) {
        List<Long> d = new ArrayList<>();
        for (int x : t.dims()) d.add((long) x);
        return d;
    }
}
