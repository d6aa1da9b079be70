package dev.anneau.backend.ort;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import dev.anneau.webnn.ops.Numbers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The differential check: builds the same graph on the cpu backend (the reference kernels) and
 * on the ort backend and compares the outputs element by element — exactly for integer outputs,
 * within a ULP bound for float outputs (NaN equals NaN, +0 equals -0).
 */
final class Differential implements AutoCloseable {
    /** A graph input: element values as doubles (floats) or longs (integers, raw bits for 64-bit). */
    record In(String name, MLOperandDataType type, int[] shape, double[] floats, long[] ints, boolean constant) {
        static In floats(String name, MLOperandDataType type, int[] shape, double... v) {
            return new In(name, type, shape, v, null, false);
        }

        static In ints(String name, MLOperandDataType type, int[] shape, long... v) {
            return new In(name, type, shape, null, v, false);
        }

        In asConstant() { return new In(name, type, shape, floats, ints, true); }

        int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        ByteBuffer bytes() {
            int n = size();
            ByteBuffer b = ByteBuffer.allocate((int) type.byteLength(n)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case FLOAT32 -> b.putFloat((float) floats[i]);
                    case FLOAT16 -> b.putShort(Numbers.doubleToHalf(floats[i]));
                    case INT32, UINT32 -> b.putInt((int) ints[i]);
                    case INT64, UINT64 -> b.putLong(ints[i]);
                    case INT8, UINT8 -> b.put((byte) ints[i]);
                    default -> throw new IllegalArgumentException(type.toString());
                }
            }
            return b.flip();
        }

        @Override
        public String toString() {
            return name + ":" + type + Arrays.toString(shape) + "="
                    + (floats != null ? Arrays.toString(floats) : Arrays.toString(ints));
        }
    }

    /** Builds the graph's single output from the inputs (by name). */
    interface GraphFn {
        MLOperand build(MLGraphBuilder b, Map<String, MLOperand> in);
    }

    private final MLContext cpu = ML.createContext(new MLContextOptions().withBackend("cpu")).join();
    private final MLContext ort = ML.createContext(new MLContextOptions().withBackend("ort")).join();
    final Random random = new Random(20240611);

    /** Values that exercise edges: NaN, infinities, signed zeros, halves, large and tiny magnitudes. */
    static final double[] FLOAT_EDGES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 0.5,
            -0.5, 1.5, 2.5, -2.5, 1, -1, 3e38, -3e38, 1e-40, 65504, 70000, -1e10, 4.5e9, 2147483520.0, 2.2e9, -2.2e9,
            255.9, -128.7, 127.2, 300, 1e19, -1e19, 2e19};

    double[] randomFloats(int n, boolean edges) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = edges && random.nextInt(3) == 0 ? FLOAT_EDGES[random.nextInt(FLOAT_EDGES.length)]
                    : (random.nextDouble() * 20 - 10);
        }
        return v;
    }

    long[] randomInts(MLOperandDataType t, int n, boolean edges) {
        long[] v = new long[n];
        long[] e = switch (t) {
            case INT8 -> new long[] {-128, 127, 0, -1, 1, 2, -2};
            case UINT8 -> new long[] {0, 255, 1, 128, 2};
            case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1, 2, -2, 65536};
            case UINT32 -> new long[] {0, 0xFFFFFFFFL, 0x80000000L, 1, 2, 65536};
            // values whose low 32-bit halves have the top bit set catch 64-bit compares done on halves
            case INT64 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, 2, -2, 1L << 32, 0xFFFFFFFFL, 0x80000000L,
                    0x1_8000_0000L, -0x8000_0001L, -0x1_0000_0000L};
            case UINT64 -> new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1, 2, 1L << 32, 0xFFFFFFFFL, 0x80000000L,
                    0x1_8000_0000L, 0x8000_0000_8000_0000L};
            default -> throw new IllegalArgumentException(t.toString());
        };
        for (int i = 0; i < n; i++) {
            if (edges && random.nextInt(3) == 0) {
                v[i] = e[random.nextInt(e.length)];
            } else {
                v[i] = random.nextInt(41) - 20;
                if (!t.isSigned()) v[i] = Math.abs(v[i]);
            }
        }
        return v;
    }

    In random(String name, MLOperandDataType t, int[] shape, boolean edges) {
        int n = 1;
        for (int d : shape) n *= d;
        return t.isFloatingPoint() ? In.floats(name, t, shape, randomFloats(n, edges))
                : In.ints(name, t, shape, randomInts(t, n, edges));
    }

    static int[] shape(int... d) { return d; }

    /** Runs {@code fn} on both backends and compares; {@code ulp} bounds float differences. */
    void check(String what, int ulp, GraphFn fn, In... inputs) {
        check(what, ulp, 0, fn, inputs);
    }

    /**
     * As {@link #check(String, int, GraphFn, In...)}, also accepting float outputs within
     * {@code atol} absolute of the CPU value: for results of a few float32 operations that can
     * cancel (a normalized value plus a bias), where ULP distance says little.
     */
    void check(String what, int ulp, double atol, GraphFn fn, In... inputs) {
        ByteBuffer expected = run(cpu, fn, inputs);
        ByteBuffer actual;
        MLOperandDataType outType;
        try {
            actual = run(ort, fn, inputs);
        } catch (RuntimeException e) {
            failures.add(what + ": the ort backend failed: " + e);
            return;
        }
        outType = lastType;
        try {
            compare(what + " " + Arrays.toString(inputs), outType, expected, actual, ulp, atol);
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }

    private final java.util.List<String> failures = new java.util.ArrayList<>();

    /** Fails with every mismatch collected since the last call. */
    void assertNoFailures() {
        java.util.List<String> f = java.util.List.copyOf(failures);
        failures.clear();
        if (!f.isEmpty()) fail(f.size() + " mismatches:\n" + String.join("\n", f));
    }

    private MLOperandDataType lastType;

    private ByteBuffer run(MLContext ctx, GraphFn fn, In... inputs) {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        Map<String, MLOperand> ops = new LinkedHashMap<>();
        for (In in : inputs) {
            MLOperandDescriptor d = new MLOperandDescriptor(in.type, in.shape);
            ops.put(in.name, in.constant ? b.constant(d, in.bytes()) : b.input(in.name, d));
        }
        MLOperand y = fn.build(b, ops);
        lastType = y.dataType();
        MLGraph g = b.build(Map.of("y", y)).join();
        Map<String, MLTensor> feeds = new LinkedHashMap<>();
        for (In in : inputs) {
            if (in.constant || !g.inputs().containsKey(in.name)) continue; // constants, and inputs the graph does not use
            long[] s = Arrays.stream(in.shape).asLongStream().toArray();
            MLTensor t = ctx.createTensor(new MLTensorDescriptor(in.type, s, false, true)).join();
            ctx.writeTensor(t, in.bytes());
            feeds.put(in.name, t);
        }
        long[] os = Arrays.stream(y.shape()).toArray();
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), os, true, false)).join();
        ctx.dispatch(g, feeds, Map.of("y", out));
        ByteBuffer r = ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
        for (MLTensor t : feeds.values()) t.destroy();
        out.destroy();
        g.destroy();
        return r;
    }

    static void compare(String what, MLOperandDataType t, ByteBuffer e, ByteBuffer a, int ulp, double atol) {
        e = e.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        a = a.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(e.remaining() == a.remaining(), what + ": byte lengths differ");
        int n = (int) (e.remaining() / t.byteLength(1));
        for (int i = 0; i < n; i++) {
            switch (t) {
                case FLOAT32 -> {
                    float x = e.getFloat(i * 4), y = a.getFloat(i * 4);
                    if (Float.isNaN(x) && Float.isNaN(y)) continue;
                    if (Float.isNaN(x) != Float.isNaN(y) || Math.abs(ord(x) - ord(y)) > ulp && !(Math.abs(x - y) <= atol)) {
                        fail(what + ": element " + i + ": cpu " + x + ", ort " + y);
                    }
                }
                case FLOAT16 -> {
                    short x = e.getShort(i * 2), y = a.getShort(i * 2);
                    float fx = Float.float16ToFloat(x), fy = Float.float16ToFloat(y);
                    if (Float.isNaN(fx) && Float.isNaN(fy)) continue;
                    if (Float.isNaN(fx) != Float.isNaN(fy) || Math.abs(ord16(x) - ord16(y)) > ulp && !(Math.abs(fx - fy) <= atol)) {
                        fail(what + ": element " + i + ": cpu " + fx + ", ort " + fy);
                    }
                }
                case INT32, UINT32 -> check(what, i, e.getInt(i * 4), a.getInt(i * 4));
                case INT64, UINT64 -> check(what, i, e.getLong(i * 8), a.getLong(i * 8));
                case INT8, UINT8 -> check(what, i, e.get(i), a.get(i));
                default -> throw new IllegalArgumentException(t.toString());
            }
        }
    }

    private static void check(String what, int i, long x, long y) {
        if (x != y) fail(what + ": element " + i + ": cpu " + x + ", ort " + y);
    }

    /** Sign-magnitude order of float bits: adjacent floats differ by 1, +0 and -0 are both 0. */
    static long ord(float f) {
        int b = Float.floatToRawIntBits(f);
        return b < 0 ? -(long) (b & 0x7FFFFFFF) : b;
    }

    static long ord16(short h) {
        return (h & 0x8000) != 0 ? -(long) (h & 0x7FFF) : h;
    }

    MLContext ortContext() { return ort; }

    @Override
    public void close() {
        cpu.destroy();
        ort.destroy();
    }
}
