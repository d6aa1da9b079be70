package dev.anneau.backend.cpu;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds small all-constant graphs on the CPU backend and reads their outputs back as doubles. */
final class RecurrentQuantTestGraphs {
    private RecurrentQuantTestGraphs() {}

    static MLContext context() {
        return ML.createContext(new MLContextOptions().withBackend("cpu")).join();
    }

    /** A constant of {@code type} and {@code shape} holding {@code values} (converted to the type exactly as given). */
    static MLOperand constant(MLGraphBuilder b, MLOperandDataType type, int[] shape, double... values) {
        long count = 1;
        for (int d : shape) count *= d;
        if (count != values.length) throw new IllegalArgumentException("need " + count + " values, got " + values.length);
        ByteBuffer buf = ByteBuffer.allocate((int) type.byteLength(count)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            switch (type) {
                case FLOAT32 -> buf.putFloat((float) v);
                case FLOAT16 -> buf.putShort(Float.floatToFloat16((float) v));
                case INT32, UINT32 -> buf.putInt((int) (long) v);
                case INT8, UINT8 -> buf.put((byte) (long) v);
                case INT4, UINT4 -> {
                    int nibble = (int) (long) v & 0xF;
                    buf.put(i / 2, (byte) (buf.get(i / 2) | ((i & 1) == 0 ? nibble : nibble << 4)));
                }
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        buf.rewind();
        return b.constant(new MLOperandDescriptor(type, shape), buf);
    }

    /** Builds the outputs {@code graph} returns (by name), runs the graph and decodes each output. */
    static Map<String, double[]> run(Function<MLGraphBuilder, Map<String, MLOperand>> graph) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            Map<String, MLOperand> outputs = graph.apply(b);
            MLGraph g = b.build(outputs).join();
            Map<String, MLTensor> tensors = new LinkedHashMap<>();
            for (var e : outputs.entrySet()) {
                tensors.put(e.getKey(), ctx.createTensor(new MLTensorDescriptor(e.getValue().dataType(), e.getValue().shape(), true, false)).join());
            }
            ctx.dispatch(g, Map.of(), tensors);
            Map<String, double[]> result = new LinkedHashMap<>();
            for (var e : tensors.entrySet()) {
                MLOperand o = outputs.get(e.getKey());
                result.put(e.getKey(), decode(o.dataType(), o.shape(), ctx.readTensor(e.getValue()).join()));
            }
            return result;
        } finally {
            ctx.destroy();
        }
    }

    static double[] decode(MLOperandDataType type, long[] shape, ByteBuffer bytes) {
        ByteBuffer b = bytes.order(ByteOrder.LITTLE_ENDIAN);
        int count = 1;
        for (long d : shape) count *= (int) d;
        double[] r = new double[count];
        for (int i = 0; i < count; i++) {
            r[i] = switch (type) {
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT16 -> Float.float16ToFloat(b.getShort(i * 2));
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> Integer.toUnsignedLong(b.getInt(i * 4));
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xFF;
                case INT4 -> {
                    int by = b.get(i / 2) & 0xFF;
                    int nibble = (i & 1) == 0 ? by & 0xF : by >>> 4;
                    yield (nibble << 28) >> 28;
                }
                case UINT4 -> {
                    int by = b.get(i / 2) & 0xFF;
                    yield (i & 1) == 0 ? by & 0xF : by >>> 4;
                }
                default -> throw new IllegalArgumentException(type.toString());
            };
        }
        return r;
    }

    static int[] shape(int... dims) { return dims; }
}
