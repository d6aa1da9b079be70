package dev.anneau.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.anneau.webnn.TypeError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small helpers to build one-output graphs on the CPU backend from constants and read the result. */
final class ReductionTestSupport {
    private ReductionTestSupport() {}

    static MLContext context() {
        return ML.createContext(new MLContextOptions().withBackend("cpu")).join();
    }

    static MLOperand f32(MLGraphBuilder b, int[] shape, float... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.FLOAT32, shape), data);
    }

    static MLOperand f16(MLGraphBuilder b, int[] shape, float... data) {
        short[] bits = new short[data.length];
        for (int i = 0; i < data.length; i++) bits[i] = Float.floatToFloat16(data[i]);
        return b.constant(new MLOperandDescriptor(MLOperandDataType.FLOAT16, shape), bits);
    }

    static MLOperand i32(MLGraphBuilder b, int[] shape, int... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.INT32, shape), data);
    }

    static MLOperand u32(MLGraphBuilder b, int[] shape, int... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.UINT32, shape), data);
    }

    static MLOperand i64(MLGraphBuilder b, int[] shape, long... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.INT64, shape), data);
    }

    static MLOperand u64(MLGraphBuilder b, int[] shape, long... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.UINT64, shape), data);
    }

    static MLOperand i8(MLGraphBuilder b, int[] shape, byte... data) {
        return b.constant(new MLOperandDescriptor(MLOperandDataType.INT8, shape), ByteBuffer.wrap(data));
    }

    static int[] shape(int... dims) { return dims; }

    /** Builds {@code graph} (constants only), runs it and returns the output's little-endian bytes. */
    static ByteBuffer run(Function<MLGraphBuilder, MLOperand> graph) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand y = graph.apply(b);
            MLGraph g = b.build(Map.of("y", y)).join();
            MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), y.shape(), true, false)).join();
            ctx.dispatch(g, Map.of(), Map.of("y", out));
            return ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
        } finally {
            ctx.destroy();
        }
    }

    static float[] runF32(Function<MLGraphBuilder, MLOperand> graph) {
        ByteBuffer r = run(graph);
        float[] out = new float[r.remaining() / 4];
        r.asFloatBuffer().get(out);
        return out;
    }

    static float[] runF16(Function<MLGraphBuilder, MLOperand> graph) {
        ByteBuffer r = run(graph);
        float[] out = new float[r.remaining() / 2];
        for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(r.getShort(2 * i));
        return out;
    }

    static int[] runI32(Function<MLGraphBuilder, MLOperand> graph) {
        ByteBuffer r = run(graph);
        int[] out = new int[r.remaining() / 4];
        r.asIntBuffer().get(out);
        return out;
    }

    static long[] runI64(Function<MLGraphBuilder, MLOperand> graph) {
        ByteBuffer r = run(graph);
        long[] out = new long[r.remaining() / 8];
        r.asLongBuffer().get(out);
        return out;
    }

    /** The operand returned by {@code call} on a fresh builder (for shape/type inference checks). */
    static MLOperand build(Function<MLGraphBuilder, MLOperand> call) {
        MLContext ctx = context();
        try {
            return call.apply(new MLGraphBuilder(ctx));
        } finally {
            ctx.destroy();
        }
    }

    /** Asserts a TypeError whose message starts with the label prefix and contains every fragment. */
    static void assertTypeError(String label, Function<MLGraphBuilder, MLOperand> call, String... fragments) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            TypeError e = assertThrows(TypeError.class, () -> call.apply(b));
            assertTrue(e.getMessage().startsWith("[" + label + "] "), () -> "message without label: " + e.getMessage());
            for (String f : fragments) {
                assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
            }
        } finally {
            ctx.destroy();
        }
    }

    static void assertShape(MLOperand op, MLOperandDataType type, long... shape) {
        assertEquals(type, op.dataType());
        assertEquals(java.util.Arrays.toString(shape), java.util.Arrays.toString(op.shape()));
    }

    static Supplier<String> msg(Object o) { return () -> String.valueOf(o); }
}
