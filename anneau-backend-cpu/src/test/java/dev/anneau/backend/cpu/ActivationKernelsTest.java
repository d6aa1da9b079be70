package dev.anneau.backend.cpu;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLEluOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLHardSigmoidOptions;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLLinearOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLOperatorOptions;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.TypeError;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivationKernelsTest {
    private MLContext ctx;

    @BeforeEach
    void open() { ctx = ML.createContext(new MLContextOptions().withBackend("cpu")).join(); }

    @AfterEach
    void close() { ctx.destroy(); }

    // ------------------------------------------------------------------ helpers

    /** Builds {@code op(x)} on one input of {@code type}/{@code dims}, feeds {@code data} (little-endian bytes), returns the output bytes. */
    private ByteBuffer run1(MLOperandDataType type, int[] dims, ByteBuffer data, BiFunction<MLGraphBuilder, MLOperand, MLOperand> op) {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", new MLOperandDescriptor(type, dims));
        MLOperand y = op.apply(b, x);
        return dispatch(b, Map.of("x", x), Map.of("x", data), y);
    }

    private ByteBuffer dispatch(MLGraphBuilder b, Map<String, MLOperand> ins, Map<String, ByteBuffer> data, MLOperand y) {
        MLGraph g = b.build(Map.of("y", y)).join();
        Map<String, MLTensor> feeds = new LinkedHashMap<>();
        for (var e : ins.entrySet()) {
            MLOperand o = e.getValue();
            MLTensor t = ctx.createTensor(new MLTensorDescriptor(o.dataType(), o.shape(), false, true)).join();
            ctx.writeTensor(t, data.get(e.getKey()));
            feeds.put(e.getKey(), t);
        }
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), y.shape(), true, false)).join();
        ctx.dispatch(g, feeds, Map.of("y", out));
        return ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
    }

    private float[] runF32(float[] in, BiFunction<MLGraphBuilder, MLOperand, MLOperand> op) {
        ByteBuffer r = run1(FLOAT32, new int[] {in.length}, f32(in), op);
        float[] got = new float[in.length];
        r.asFloatBuffer().get(got);
        return got;
    }

    private long[] runI64(MLOperandDataType type, long[] in, BiFunction<MLGraphBuilder, MLOperand, MLOperand> op) {
        ByteBuffer r = run1(type, new int[] {in.length}, i64(in), op);
        long[] got = new long[in.length];
        r.asLongBuffer().get(got);
        return got;
    }

    private static ByteBuffer f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b;
    }

    private static ByteBuffer i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return b;
    }

    private static ByteBuffer i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b;
    }

    private MLOperand operand(MLGraphBuilder b, String name, MLOperandDataType t, int... dims) {
        return b.input(name, new MLOperandDescriptor(t, dims));
    }

    private static void assertLabelled(String label, Runnable r) {
        TypeError e = assertThrows(TypeError.class, r::run);
        assertTrue(e.getMessage().contains("[" + label + "]"), () -> "message lacks the label: " + e.getMessage());
    }

    private static void assertClose(double expected, float actual, double relTol) {
        assertTrue(Math.abs(actual - expected) <= relTol * Math.abs(expected),
                () -> "expected " + expected + " got " + actual);
    }

    // ------------------------------------------------------------------ clamp

    @Test
    void clampInt64IsExactBeyondDoublePrecision() {
        long big = (1L << 53) + 3;   // not representable as a double
        long max = (1L << 53) + 1;   // nor is the bound
        long[] got = runI64(INT64, new long[] {big, Long.MIN_VALUE, -7, max - 1},
                (b, x) -> b.clamp(x, new MLClampOptions(-5L, BigInteger.valueOf(max), null)));
        assertArrayEquals(new long[] {max, -5, -5, max - 1}, got);
    }

    @Test
    void clampUint64ComparesUnsigned() {
        BigInteger two63 = BigInteger.ONE.shiftLeft(63);
        long above = two63.add(BigInteger.TEN).longValue();        // 2^63 + 10, negative as a Java long
        long top = -1L;                                             // 2^64 - 1
        BigInteger max = two63.add(BigInteger.valueOf(5));
        long[] got = runI64(UINT64, new long[] {above, top, 3, 100},
                (b, x) -> b.clamp(x, new MLClampOptions(7L, max, null)));
        assertArrayEquals(new long[] {max.longValue(), max.longValue(), 7, 100}, got);
    }

    @Test
    void clampBoundsAreCastToTheIntegerType() {
        // uint8: -5 casts to 0 and 300 to 255 (ConvertToInt clamps), so nothing changes
        ByteBuffer r = run1(UINT8, new int[] {3}, ByteBuffer.wrap(new byte[] {0, (byte) 200, (byte) 255}),
                (b, x) -> b.clamp(x, new MLClampOptions(-5.0, 300.0, null)));
        assertArrayEquals(new byte[] {0, (byte) 200, (byte) 255}, bytes(r, 3));
        // int32: 2.5 rounds half to even (2), -2.5 to -2
        ByteBuffer s = run1(INT32, new int[] {4}, i32(-10, -2, 2, 10),
                (b, x) -> b.clamp(x, new MLClampOptions(-2.5, 2.5, null)));
        int[] got = new int[4];
        s.asIntBuffer().get(got);
        assertArrayEquals(new int[] {-2, -2, 2, 2}, got);
        // int8: a NaN bound casts to 0
        ByteBuffer t = run1(INT8, new int[] {3}, ByteBuffer.wrap(new byte[] {-100, 0, 100}),
                (b, x) -> b.clamp(x, new MLClampOptions(Double.NaN, null, null)));
        assertArrayEquals(new byte[] {0, 0, 100}, bytes(t, 3));
    }

    @Test
    void clampFloatKeepsNaNInputsAndIgnoresNaNBounds() {
        float[] in = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -3, 0.5f, 3};
        assertArrayEquals(new float[] {Float.NaN, -1, 1, -1, 0.5f, 1},
                runF32(in, (b, x) -> b.clamp(x, new MLClampOptions(-1.0, 1.0, null))));
        assertArrayEquals(in, runF32(in, (b, x) -> b.clamp(x, new MLClampOptions(Double.NaN, Double.NaN, null))));
        assertArrayEquals(in, runF32(in, (b, x) -> b.clamp(x)));
        assertArrayEquals(new float[] {Float.NaN, 2, 2, 2, 2, 2},
                runF32(in, (b, x) -> b.clamp(x, new MLClampOptions(2.0, 2.0, null))));
    }

    @Test
    void clampFloat16BoundsAreRoundedToHalf() {
        // 1.0001 is 1.0 as a half, so 1.0 and 1.0001 make an empty-width range, not an error
        short one = Float.floatToFloat16(1f), two = Float.floatToFloat16(2f), zero = Float.floatToFloat16(0f);
        ByteBuffer in = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort(zero).putShort(one).putShort(two).flip();
        ByteBuffer r = run1(FLOAT16, new int[] {3}, in,
                (b, x) -> b.clamp(x, new MLClampOptions(1.0001, 1.0, null)));
        assertEquals(one, r.getShort(0));
        assertEquals(one, r.getShort(2));
        assertEquals(one, r.getShort(4));
    }

    @Test
    void clampRejectsMinGreaterThanMax() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand f = operand(b, "f", FLOAT32, 2);
        MLOperand i = operand(b, "i", INT32, 2);
        assertLabelled("c1", () -> b.clamp(f, new MLClampOptions(3.0, 1.0, "c1")));
        assertLabelled("c2", () -> b.clamp(f, new MLClampOptions(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "c2")));
        assertLabelled("c3", () -> b.clamp(i, new MLClampOptions(5L, 4L, "c3")));
        // 3.4 and 3.1 both cast to 3 for int32: allowed
        assertEquals(INT32, b.clamp(i, new MLClampOptions(3.4, 3.1, null)).dataType());
        // one infinite bound is fine
        assertEquals(FLOAT32, b.clamp(f, new MLClampOptions(Double.NEGATIVE_INFINITY, null, null)).dataType());
    }

    // ------------------------------------------------------------------ float options

    @Test
    void nonFiniteFloatOptionsAreLabelledTypeErrors() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 2);
        assertLabelled("e", () -> b.elu(x, new MLEluOptions(Double.NaN, "e")));
        assertLabelled("l", () -> b.leakyRelu(x, new MLLeakyReluOptions(Double.POSITIVE_INFINITY, "l")));
        assertLabelled("h", () -> b.hardSigmoid(x, new MLHardSigmoidOptions(0.2, Double.NaN, "h")));
        assertLabelled("n", () -> b.linear(x, new MLLinearOptions(Double.NEGATIVE_INFINITY, 0.0, "n")));
    }

    @Test
    void floatOnlyActivationsRejectIntegerInputs() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", INT32, 2);
        assertLabelled("s", () -> b.sigmoid(x, new MLOperatorOptions("s")));
        assertLabelled("t", () -> b.tanh(x, new MLOperatorOptions("t")));
        assertLabelled("g", () -> b.gelu(x, new MLOperatorOptions("g")));
    }

    // ------------------------------------------------------------------ math at the edges

    @Test
    void activationsStayFiniteWhereTheNaiveFormulaOverflows() {
        float[] got = runF32(new float[] {100f, 1000f, -1000f, Float.POSITIVE_INFINITY},
                (b, x) -> b.softplus(x));
        assertEquals(100f, got[0]);               // log(1 + e^100) = 100 + log1p(e^-100)
        assertEquals(1000f, got[1]);
        assertEquals(0f, got[2]);
        assertEquals(Float.POSITIVE_INFINITY, got[3]);

        float[] s = runF32(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f}, (b, x) -> b.softsign(x));
        assertArrayEquals(new float[] {1f, -1f, 0.75f}, s);

        float[] h = runF32(new float[] {Float.NEGATIVE_INFINITY, -3f, 1.5f, 4f}, (b, x) -> b.hardSwish(x));
        assertArrayEquals(new float[] {0f, 0f, 1.5f * 4.5f / 6, 4f}, h);
    }

    @Test
    void geluOfLargeNegativeInputsKeepsItsTinyValue() {
        // gelu(x) = x * Phi(x); Phi(-10) = 7.619853024160527e-24 (standard normal tail)
        float[] got = runF32(new float[] {-10f, Float.NEGATIVE_INFINITY, 0f}, (b, x) -> b.gelu(x));
        assertClose(-7.619853024160527e-23, got[0], 1e-6);
        assertEquals(0f, Math.abs(got[1]));
        assertEquals(0f, got[2]);
    }

    @Test
    void eluUsesAlpha() {
        float[] got = runF32(new float[] {-1f, 2f}, (b, x) -> b.elu(x, new MLEluOptions(2.0, null)));
        assertClose(2 * (Math.exp(-1) - 1), got[0], 1e-7);
        assertEquals(2f, got[1]);
    }

    // ------------------------------------------------------------------ softmax

    @Test
    void softmaxIsStableForLargeInputs() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 2, 2);
        ByteBuffer r = dispatch(b, Map.of("x", x), Map.of("x", f32(1000f, 1001f, -1000f, -1001f)), b.softmax(x, 1));
        float[] got = new float[4];
        r.asFloatBuffer().get(got);
        double lo = 1 / (1 + Math.E), hi = 1 / (1 + Math.exp(-1));
        assertClose(lo, got[0], 1e-7);
        assertClose(hi, got[1], 1e-7);
        assertClose(hi, got[2], 1e-7);
        assertClose(lo, got[3], 1e-7);
    }

    @Test
    void softmaxAlongTheFirstAxisOfA3dTensor() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 2, 1, 2);
        // pairs along axis 0: (0, ln 3) and (ln 4, 0)
        float ln3 = (float) Math.log(3), ln4 = (float) Math.log(4);
        ByteBuffer r = dispatch(b, Map.of("x", x), Map.of("x", f32(0f, ln4, ln3, 0f)), b.softmax(x, 0));
        float[] got = new float[4];
        r.asFloatBuffer().get(got);
        assertClose(0.25, got[0], 1e-6);
        assertClose(0.8, got[1], 1e-6);
        assertClose(0.75, got[2], 1e-6);
        assertClose(0.2, got[3], 1e-6);
    }

    @Test
    void softmaxValidatesTheAxis() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 2, 3);
        assertLabelled("sm", () -> b.softmax(x, 2, new MLOperatorOptions("sm")));
        assertLabelled("sm", () -> b.softmax(x, -1, new MLOperatorOptions("sm")));
        MLOperand scalar = operand(b, "s", FLOAT32);
        assertLabelled("sm0", () -> b.softmax(scalar, 0, new MLOperatorOptions("sm0")));
    }

    // ------------------------------------------------------------------ prelu

    @Test
    void preluBroadcastsBothWays() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 2);        // [2]
        MLOperand s = operand(b, "s", FLOAT32, 3, 1);     // [3, 1]
        MLOperand y = b.prelu(x, s);
        assertArrayEquals(new long[] {3, 2}, y.shape());
        ByteBuffer r = dispatch(b, Map.of("x", x, "s", s), Map.of("x", f32(-2f, 4f), "s", f32(0.5f, 2f, -1f)), y);
        float[] got = new float[6];
        r.asFloatBuffer().get(got);
        assertArrayEquals(new float[] {-1f, 4f, -4f, 4f, 2f, 4f}, got);
    }

    @Test
    void preluOnIntegers() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", INT32, 2, 2);
        MLOperand s = operand(b, "s", INT32, 2);
        ByteBuffer r = dispatch(b, Map.of("x", x, "s", s), Map.of("x", i32(-3, 5, -7, 0), "s", i32(2, 3)), b.prelu(x, s));
        int[] got = new int[4];
        r.asIntBuffer().get(got);
        assertArrayEquals(new int[] {-6, 5, -14, 0}, got);
    }

    @Test
    void preluValidation() {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = operand(b, "x", FLOAT32, 3, 2, 5);
        assertLabelled("p1", () -> b.prelu(x, operand(b, "s1", FLOAT32, 2), new MLOperatorOptions("p1")));
        assertLabelled("p2", () -> b.prelu(x, operand(b, "s2", FLOAT16, 5), new MLOperatorOptions("p2")));
        MLOperand u = operand(b, "u", UINT8, 2);
        assertLabelled("p3", () -> b.prelu(u, operand(b, "s3", UINT8, 2), new MLOperatorOptions("p3")));
    }

    // ------------------------------------------------------------------ relu

    @Test
    void reluKeepsNaNAndClearsNegativeZero() {
        float[] got = runF32(new float[] {Float.NaN, -0f, -5f, 5f}, (b, x) -> b.relu(x));
        assertTrue(Float.isNaN(got[0]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(got[1]));
        assertEquals(0f, got[2]);
        assertEquals(5f, got[3]);
    }

    @Test
    void negativeZeroFollowsTheSpecSums() {
        // max(0, x) + alpha * min(0, x) and max(0, x) + alpha * (exp(min(0, x)) - 1) are +0 + -0 = +0 at x = -0
        int plusZero = Float.floatToIntBits(0f);
        assertEquals(plusZero, Float.floatToIntBits(runF32(new float[] {-0f}, (b, x) -> b.leakyRelu(x))[0]));
        assertEquals(plusZero, Float.floatToIntBits(runF32(new float[] {-0f}, (b, x) -> b.elu(x))[0]));
        assertEquals(plusZero, Float.floatToIntBits(runF32(new float[] {-0f}, (b, x) -> b.linear(x))[0]));
    }

    @Test
    void leakyReluAndLinearOnFloat16RoundOnce() {
        // linear(x) = 3 * x + 1 on exactly representable halves
        short[] in = {Float.floatToFloat16(-2f), Float.floatToFloat16(0.5f)};
        ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(in[0]).putShort(in[1]).flip();
        ByteBuffer r = run1(FLOAT16, new int[] {2}, data, (b, x) -> b.linear(x, new MLLinearOptions(3.0, 1.0, null)));
        assertEquals(-5f, Float.float16ToFloat(r.getShort(0)));
        assertEquals(2.5f, Float.float16ToFloat(r.getShort(2)));
        ByteBuffer l = run1(FLOAT16, new int[] {2}, data.rewind(), (b, x) -> b.leakyRelu(x, new MLLeakyReluOptions(0.25, null)));
        assertEquals(-0.5f, Float.float16ToFloat(l.getShort(0)));
        assertEquals(0.5f, Float.float16ToFloat(l.getShort(2)));
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] r = new byte[n];
        b.get(0, r);
        return r;
    }
}
