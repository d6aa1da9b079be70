package dev.anneau.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.TreeMap;

/**
 * Runs one WebNN graph on the cpu backend (the reference) and on the ort backend with the same
 * pseudo-random inputs and constants, and compares every output: integers exactly, floats within
 * a number of ULPs (float32 bits, or float16 bits for float16), NaN equal to NaN.
 */
final class GraphDiff {
    private GraphDiff() {}

    /** Builds the graph with {@code in} supplying operands; returns the named outputs. */
    interface Graph {
        Map<String, MLOperand> build(MLGraphBuilder b, Operands in);
    }

    /** Creates inputs and constants with data that depend only on their name. */
    static final class Operands {
        final MLGraphBuilder b;
        final Map<String, ByteBuffer> inputData = new LinkedHashMap<>();
        final Map<String, MLOperandDescriptor> inputTypes = new LinkedHashMap<>();

        Operands(MLGraphBuilder b) { this.b = b; }

        MLOperand input(String name, MLOperandDataType type, int... dims) { return input(name, type, -1, 1, dims); }

        /** A graph input with values uniform in [lo, hi] (integers: lo..hi inclusive). */
        MLOperand input(String name, MLOperandDataType type, double lo, double hi, int... dims) {
            MLOperandDescriptor d = new MLOperandDescriptor(type, dims);
            inputTypes.put(name, d);
            inputData.put(name, data(name, type, lo, hi, dims));
            return b.input(name, d);
        }

        MLOperand constant(String name, MLOperandDataType type, int... dims) { return constant(name, type, -1, 1, dims); }

        MLOperand constant(String name, MLOperandDataType type, double lo, double hi, int... dims) {
            return b.constant(new MLOperandDescriptor(type, dims), data(name, type, lo, hi, dims));
        }

        /** A constant of int64/uint64 bit patterns. */
        MLOperand longs(MLOperandDataType type, int[] dims, long... values) {
            ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) buf.putLong(v);
            return b.constant(new MLOperandDescriptor(type, dims), buf.flip());
        }

        /** A constant with the given values (rounded once to {@code type}). */
        MLOperand values(MLOperandDataType type, int[] dims, double... values) {
            return b.constant(new MLOperandDescriptor(type, dims), encode(type, values));
        }
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    static ByteBuffer data(String name, MLOperandDataType type, double lo, double hi, int[] dims) {
        Random r = new Random(name.hashCode() * 31L + 7);
        double[] v = new double[size(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = type.isFloatingPoint() ? lo + (hi - lo) * r.nextDouble()
                    : Math.floor(lo + (hi - lo + 1) * r.nextDouble());
        }
        return encode(type, v);
    }

    static ByteBuffer encode(MLOperandDataType type, double[] v) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(1, (int) type.byteLength(v.length))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case FLOAT32 -> b.putFloat((float) v[i]);
                case FLOAT16 -> b.putShort(Numbers.doubleToHalf(v[i]));
                case INT32, UINT32 -> b.putInt((int) (long) v[i]);
                case INT64, UINT64 -> b.putLong((long) v[i]);
                case INT8, UINT8 -> b.put((byte) (long) v[i]);
                case INT4, UINT4 -> {
                    int nibble = (int) (long) v[i] & 0xF;
                    if (i % 2 == 0) b.put(i / 2, (byte) nibble);
                    else b.put(i / 2, (byte) (b.get(i / 2) | nibble << 4));
                }
            }
        }
        b.clear();
        return b;
    }

    static double[] decode(MLOperandDataType type, ByteBuffer b, int n) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case FLOAT32 -> b.getFloat(4 * i);
                case FLOAT16 -> Float.float16ToFloat(b.getShort(2 * i));
                case INT32 -> b.getInt(4 * i);
                case UINT32 -> Integer.toUnsignedLong(b.getInt(4 * i));
                case INT64, UINT64 -> b.getLong(8 * i);
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xFF;
                case INT4 -> (byte) ((b.get(i / 2) >> (i % 2 == 0 ? 0 : 4)) << 4) >> 4;
                case UINT4 -> (b.get(i / 2) >> (i % 2 == 0 ? 0 : 4)) & 0xF;
            };
        }
        return v;
    }

    /** Outputs of one backend by name, decoded to doubles, with their types. */
    record Run(Map<String, double[]> values, Map<String, MLOperandDataType> types, Map<String, long[]> bits) {}

    static Run run(String label, String backend, Graph graph) {
        MLContext ctx = ML.createContext(new MLContextOptions().withBackend(backend)).join();
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            Operands in = new Operands(b);
            Map<String, MLOperand> outs = graph.build(b, in);
            MLGraph g = b.build(outs).join();
            Map<String, MLTensor> inTensors = new TreeMap<>();
            for (var e : in.inputTypes.entrySet()) {
                MLTensor t = ctx.createTensor(new MLTensorDescriptor(e.getValue(), false, true)).join();
                ctx.writeTensor(t, in.inputData.get(e.getKey()).duplicate());
                inTensors.put(e.getKey(), t);
            }
            Map<String, MLTensor> outTensors = new TreeMap<>();
            for (var e : outs.entrySet()) {
                MLOperand o = e.getValue();
                MLTensor t = ctx.createTensor(new MLTensorDescriptor(o.dataType(), o.shape(), true, true)).join();
                byte[] sentinel = new byte[(int) Math.max(1, o.dataType().byteLength(o.type().size()))];
                Arrays.fill(sentinel, (byte) 0x5A);
                ctx.writeTensor(t, sentinel);
                outTensors.put(e.getKey(), t);
            }
            ctx.dispatch(g, inTensors, outTensors);
            Map<String, double[]> values = new TreeMap<>();
            Map<String, MLOperandDataType> types = new TreeMap<>();
            Map<String, long[]> bits = new TreeMap<>();
            for (var e : outTensors.entrySet()) {
                MLOperand o = outs.get(e.getKey());
                ByteBuffer bytes = ctx.readTensor(e.getValue()).join();
                boolean untouched = true;
                for (int i = 0; i < bytes.remaining() && untouched; i++) untouched = bytes.get(bytes.position() + i) == 0x5A;
                if (untouched && o.type().size() > 0) fail(label + ": " + backend + ": output " + e.getKey() + " was never written (kernel error?)");
                values.put(e.getKey(), decode(o.dataType(), bytes, (int) o.type().size()));
                types.put(e.getKey(), o.dataType());
                if (o.dataType() == MLOperandDataType.INT64 || o.dataType() == MLOperandDataType.UINT64) {
                    long[] raw = new long[o.type().size()];
                    bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(raw);
                    bits.put(e.getKey(), raw);
                }
            }
            return new Run(values, types, bits);
        } finally {
            ctx.destroy();
        }
    }

    /** Float distance in ULPs of the type (float32 or float16 bits); integers: the difference. */
    static double distance(MLOperandDataType type, double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) return 0;
        if (a == b) return 0;
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.POSITIVE_INFINITY;
        return switch (type) {
            case FLOAT32 -> Math.abs(ordered(Float.floatToIntBits((float) a)) - ordered(Float.floatToIntBits((float) b)));
            case FLOAT16 -> Math.abs(ordered16(Numbers.doubleToHalf(a)) - ordered16(Numbers.doubleToHalf(b)));
            default -> Math.abs(a - b);
        };
    }

    private static long ordered(int bits) { return bits < 0 ? -(long) (bits & 0x7FFFFFFF) : bits; }

    private static long ordered16(short bits) { return (bits & 0x8000) != 0 ? -(long) (bits & 0x7FFF) : bits & 0x7FFF; }

    /** Runs on both backends and requires every output within {@code ulps}; returns the ort run. */
    static Run compare(String label, double ulps, Graph graph) { return compare(label, ulps, 0, graph); }

    /**
     * As {@link #compare(String, double, Graph)}, also accepting a difference up to {@code atol}
     * (relative above magnitude 1), for sums of random terms, whose cancellation makes ULPs of a
     * small result meaningless.
     */
    static Run compare(String label, double ulps, double atol, Graph graph) {
        Run cpu = run(label, "cpu", graph);
        Run ort;
        try {
            ort = run(label, "ort", graph);
        } catch (RuntimeException e) {
            throw new AssertionError(label + ": ort failed: " + e, e);
        }
        assertEquals(cpu.values.keySet(), ort.values.keySet(), label);
        for (String name : cpu.values.keySet()) {
            double[] want = cpu.values.get(name), got = ort.values.get(name);
            assertEquals(want.length, got.length, label + ": " + name + " size");
            MLOperandDataType type = cpu.types.get(name);
            double worst = 0;
            int worstAt = -1;
            for (int i = 0; i < want.length; i++) {
                double d = distance(type, want[i], got[i]);
                if (Math.abs(want[i] - got[i]) <= atol * Math.max(1, Math.abs(want[i]))) d = 0;
                if (cpu.bits.containsKey(name) && cpu.bits.get(name)[i] != ort.bits.get(name)[i]) d = Math.max(d, 1); // 64-bit: exact
                if (d > worst) {
                    worst = d;
                    worstAt = i;
                }
            }
            if (worst > ulps) {
                int n = Math.min(want.length, 24);
                assertArrayEquals(Arrays.copyOf(want, n), Arrays.copyOf(got, n),
                        label + ": " + name + " differs by " + worst + " ulp at " + worstAt + " (cpu " + want[worstAt]
                                + ", ort " + got[worstAt] + ", tolerance " + ulps + "); first " + n + " values");
                fail(label + ": " + name + " differs by " + worst + " ulp at " + worstAt + " (cpu " + want[worstAt]
                        + ", ort " + got[worstAt] + ", tolerance " + ulps + ")");
            }
        }
        return ort;
    }
}
