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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Test helpers of the convolution, pooling and matrix kernel tests: run a one-output graph on the CPU backend. */
final class ConvPoolMatrixSupport {
    private ConvPoolMatrixSupport() {}

    /** Adds one operator to {@code b} over the operands made from the test data (null where the data is null). */
    @FunctionalInterface
    interface Op {
        MLOperand apply(MLGraphBuilder b, MLOperand[] operands);
    }

    static MLContext context() {
        return ML.createContext(new MLContextOptions().withBackend("cpu")).join();
    }

    /** A graph operand with its data: a graph input, or a constant when {@code constant}. */
    record Data(MLOperandDataType type, int[] shape, double[] values, boolean constant) {
        static Data f32(int[] shape, double... values) { return new Data(MLOperandDataType.FLOAT32, shape, values, false); }

        Data asConstant() { return new Data(type, shape, values, true); }

        Data as(MLOperandDataType t) { return new Data(t, shape, values, constant); }
    }

    static ByteBuffer bytes(MLOperandDataType t, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            switch (t) {
                case FLOAT32 -> b.putFloat((float) d);
                case FLOAT16 -> b.putShort(Float.floatToFloat16((float) d));
                case INT32, UINT32 -> b.putInt((int) (long) d);
                case INT64 -> b.putLong((long) d);
                case UINT64 -> b.putLong(new java.math.BigDecimal(d).toBigInteger().longValue()); // exact up to 2^64
                case INT8, UINT8 -> b.put((byte) (long) d);
                default -> throw new IllegalArgumentException(t.toString());
            }
        }
        b.flip();
        return b;
    }

    static double[] decode(MLOperandDataType t, ByteBuffer r, int n) {
        r.order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t) {
                case FLOAT32 -> r.getFloat();
                case FLOAT16 -> Float.float16ToFloat(r.getShort());
                case INT32 -> r.getInt();
                case UINT32 -> Integer.toUnsignedLong(r.getInt());
                case INT64 -> r.getLong();
                case UINT64 -> { long v = r.getLong(); yield v >= 0 ? v : Math.scalb((double) (v >>> 1), 1); }
                case INT8 -> r.get();
                case UINT8 -> r.get() & 0xFF;
                default -> throw new IllegalArgumentException(t.toString());
            };
        }
        return out;
    }

    /** Raw output bytes of a graph made by {@code op} from operands of {@code data}. */
    static ByteBuffer runRaw(Op op, Data... data) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand[] operands = new MLOperand[data.length];
            Map<String, MLTensor> inputs = new LinkedHashMap<>();
            for (int i = 0; i < data.length; i++) {
                Data d = data[i];
                if (d == null) continue;
                MLOperandDescriptor desc = new MLOperandDescriptor(d.type(), d.shape());
                if (d.constant()) {
                    operands[i] = b.constant(desc, bytes(d.type(), d.values()));
                } else {
                    operands[i] = b.input("x" + i, desc);
                    long[] shape = new long[d.shape().length];
                    for (int k = 0; k < shape.length; k++) shape[k] = d.shape()[k];
                    MLTensor t = ctx.createTensor(new MLTensorDescriptor(d.type(), shape, false, true)).join();
                    ctx.writeTensor(t, bytes(d.type(), d.values()));
                    inputs.put("x" + i, t);
                }
            }
            MLOperand y = op.apply(b, operands);
            MLGraph g = b.build(Map.of("y", y)).join();
            MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), y.shape(), true, false)).join();
            ctx.dispatch(g, inputs, Map.of("y", out));
            return ctx.readTensor(out).join();
        } finally {
            ctx.destroy();
        }
    }

    /** Output values (as doubles) of a one-operator graph; the output type is the first operand's. */
    static double[] run(Op op, int outSize, Data... data) {
        MLOperandDataType t = data[0].type();
        return decode(t, runRaw(op, data), outSize);
    }

    /** The output shape inferred by {@code op} (nothing is run). */
    static long[] shapeOf(Op op, Data... data) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand[] operands = new MLOperand[data.length];
            for (int i = 0; i < data.length; i++) {
                if (data[i] != null) operands[i] = b.input("x" + i, new MLOperandDescriptor(data[i].type(), data[i].shape()));
            }
            return op.apply(b, operands).shape();
        } finally {
            ctx.destroy();
        }
    }

    /** Asserts that building {@code op} throws a TypeError whose message carries the label and every fragment. */
    static TypeError assertTypeError(String label, Op op, Data[] data, String... fragments) {
        MLContext ctx = context();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand[] operands = new MLOperand[data.length];
            for (int i = 0; i < data.length; i++) {
                if (data[i] != null) operands[i] = b.input("x" + i, new MLOperandDescriptor(data[i].type(), data[i].shape()));
            }
            TypeError e = assertThrows(TypeError.class, () -> op.apply(b, operands));
            assertTrue(e.getMessage().contains("[" + label + "]"), "label missing: " + e.getMessage());
            for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing: " + e.getMessage());
            return e;
        } finally {
            ctx.destroy();
        }
    }

    static Data[] shapes(MLOperandDataType t, int[]... shapes) {
        Data[] d = new Data[shapes.length];
        for (int i = 0; i < shapes.length; i++) d[i] = shapes[i] == null ? null : new Data(t, shapes[i], new double[0], false);
        return d;
    }

    static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }

    static int size(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Element-wise closeness in units of float32 precision of the expected magnitude. */
    static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double tol = relative * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    /** Re-lays a logical 4-D array (dims in {@code order} letters, e.g. "nchw") into another letter order. */
    static double[] permute(double[] src, int[] dims, String from, String to) {
        int[] strides = new int[4];
        for (int d = 3, s = 1; d >= 0; d--) {
            strides[d] = s;
            s *= dims[d];
        }
        int[] n = new int[4], s = new int[4];
        for (int d = 0; d < 4; d++) {
            int k = from.indexOf(to.charAt(d));
            n[d] = dims[k];
            s[d] = strides[k];
        }
        double[] out = new double[src.length];
        int o = 0;
        for (int a = 0; a < n[0]; a++)
            for (int b = 0; b < n[1]; b++)
                for (int c = 0; c < n[2]; c++)
                    for (int d = 0; d < n[3]; d++) out[o++] = src[a * s[0] + b * s[1] + c * s[2] + d * s[3]];
        return out;
    }

    static int[] permuteDims(int[] dims, String from, String to) {
        int[] out = new int[4];
        for (int d = 0; d < 4; d++) out[d] = dims[from.indexOf(to.charAt(d))];
        return out;
    }
}
