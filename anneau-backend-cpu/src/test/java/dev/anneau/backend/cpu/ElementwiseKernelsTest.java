package dev.anneau.backend.cpu;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT4;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT4;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.anneau.webnn.MLOperatorOptions;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.TypeError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge cases of the elementwise family that the WPT suite does not pin down. */
class ElementwiseKernelsTest {
    private MLContext ctx;
    private MLGraphBuilder b;

    @BeforeEach
    void setUp() {
        ctx = ML.createContext(new MLContextOptions().withBackend("cpu")).join();
        b = new MLGraphBuilder(ctx);
    }

    @AfterEach
    void tearDown() { ctx.destroy(); }

    /** A fresh builder (a builder builds one graph only). */
    private void next() { b = new MLGraphBuilder(ctx); }

    // ------------------------------------------------------------------ helpers

    private MLOperand f32(int[] shape, float... v) { return b.constant(new MLOperandDescriptor(FLOAT32, shape), v); }

    private MLOperand i32(int[] shape, int... v) { return b.constant(new MLOperandDescriptor(INT32, shape), v); }

    private MLOperand u32(int[] shape, int... v) { return b.constant(new MLOperandDescriptor(UINT32, shape), v); }

    private MLOperand i64(long... v) { return b.constant(new MLOperandDescriptor(INT64, v.length), v); }

    private MLOperand u64(long... v) { return b.constant(new MLOperandDescriptor(UINT64, v.length), v); }

    private MLOperand bytes(MLOperandDataType t, int... v) {
        byte[] data = new byte[v.length];
        for (int i = 0; i < v.length; i++) data[i] = (byte) v[i];
        return b.constant(new MLOperandDescriptor(t, v.length), data);
    }

    private MLOperand f16(float... v) {
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) h[i] = Float.floatToFloat16(v[i]);
        return b.constant(new MLOperandDescriptor(FLOAT16, v.length), h);
    }

    private static int[] s(int... d) { return d; }

    /** Builds a graph computing {@code y} from constants and returns its output bytes. */
    private ByteBuffer run(MLOperand y) {
        MLGraph g = b.build(Map.of("y", y)).join();
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), y.shape(), true, false)).join();
        ctx.dispatch(g, Map.of(), Map.of("y", out));
        return ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
    }

    private float[] runF32(MLOperand y) {
        ByteBuffer r = run(y);
        float[] v = new float[r.remaining() / 4];
        r.asFloatBuffer().get(v);
        return v;
    }

    private int[] runI32(MLOperand y) {
        ByteBuffer r = run(y);
        int[] v = new int[r.remaining() / 4];
        r.asIntBuffer().get(v);
        return v;
    }

    private long[] runI64(MLOperand y) {
        ByteBuffer r = run(y);
        long[] v = new long[r.remaining() / 8];
        r.asLongBuffer().get(v);
        return v;
    }

    private int[] runBytes(MLOperand y, boolean signed) {
        ByteBuffer r = run(y);
        int[] v = new int[r.remaining()];
        for (int i = 0; i < v.length; i++) v[i] = signed ? r.get(i) : r.get(i) & 0xFF;
        return v;
    }

    private short[] runF16(MLOperand y) {
        ByteBuffer r = run(y);
        short[] v = new short[r.remaining() / 2];
        r.asShortBuffer().get(v);
        return v;
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void binaryBroadcastsBothWays() {
        // a [2,1,3] + b [4,1] -> [2,4,3]; expected from the definition out[i][j][k] = a[i][0][k] + b[j][0]
        float[] a = {1, 2, 3, 10, 20, 30};
        float[] bv = {100, 200, 300, 400};
        float[] got = runF32(b.add(f32(s(2, 1, 3), a), f32(s(4, 1), bv)));
        assertEquals(24, got.length);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 3; k++) assertEquals(a[i * 3 + k] + bv[j], got[(i * 4 + j) * 3 + k]);
    }

    @Test
    void broadcastOfScalarAndInnerOnes() {
        // a [3,1,2,1] - b [] and mul with [1,4,1,5]: exercises merged and non-mergeable axes
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] c = new float[20];
        for (int i = 0; i < 20; i++) c[i] = i;
        MLOperand d = b.sub(f32(s(3, 1, 2, 1), a), f32(s(), 0.5f));
        float[] got = runF32(b.mul(d, f32(s(1, 4, 1, 5), c)));
        assertEquals(3 * 4 * 2 * 5, got.length);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 2; k++)
                    for (int l = 0; l < 5; l++) {
                        float want = (a[i * 2 + k] - 0.5f) * c[j * 5 + l];
                        assertEquals(want, got[((i * 4 + j) * 2 + k) * 5 + l]);
                    }
    }

    @Test
    void whereBroadcastsAllThree() {
        MLOperand cond = b.constant(new MLOperandDescriptor(UINT8, 2, 1, 1), new byte[] {0, 7});
        MLOperand t = i32(s(3, 1), 1, 2, 3);
        MLOperand f = i32(s(1, 2), -1, -2);
        int[] got = runI32(b.where(cond, t, f));
        // out[i][j][k] = cond[i] ? t[j] : f[k]
        assertArrayEquals(new int[] {-1, -2, -1, -2, -1, -2, 1, 1, 2, 2, 3, 3}, got);
    }

    // ------------------------------------------------------------------ integer arithmetic

    @Test
    void int32ArithmeticWrapsAndDivisionTruncates() {
        MLOperand a = i32(s(5), Integer.MAX_VALUE, Integer.MIN_VALUE, -7, 7, 65536);
        MLOperand c = i32(s(5), 1, -1, 2, -2, 65536);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -5, 5, 131072}, runI32(b.add(a, c)));
    }

    @Test
    void int32DivisionTruncatesTowardZeroAndByZeroGivesZero() {
        MLOperand a = i32(s(6), -7, 7, -7, 5, Integer.MIN_VALUE, 0);
        MLOperand c = i32(s(6), 2, -2, -2, 0, -1, 0);
        assertArrayEquals(new int[] {-3, -3, 3, 0, Integer.MIN_VALUE, 0}, runI32(b.div(a, c)));
    }

    @Test
    void int32MultiplyWrapsLikeTwosComplement() {
        MLOperand a = i32(s(2), 65536, 123456789);
        int[] got = runI32(b.mul(a, a));
        assertArrayEquals(new int[] {65536 * 65536, 123456789 * 123456789}, got);
    }

    @Test
    void int64IsExactBeyond2Pow53() {
        long big = (1L << 53) + 1;
        long[] got = runI64(b.add(i64(big, Long.MAX_VALUE), i64(2, 1)));
        assertArrayEquals(new long[] {(1L << 53) + 3, Long.MIN_VALUE}, got);
        next();
        assertArrayEquals(new long[] {big * 3}, runI64(b.mul(i64(big), i64(3))));
    }

    @Test
    void uint64CompareAndDivideAreUnsigned() {
        long max = -1L; // 2^64 - 1
        long half = Long.MIN_VALUE; // 2^63
        MLOperand a = u64(max, half, 10);
        MLOperand c = u64(3, 1, half);
        int[] gt = runBytes(b.greater(a, c), false);
        assertArrayEquals(new int[] {1, 1, 0}, gt);
        next();
        a = u64(max, half, 10);
        c = u64(3, 1, half);
        long[] q = runI64(b.div(a, c));
        assertEquals(new BigInteger("18446744073709551615").divide(BigInteger.valueOf(3)).longValue(), q[0]);
        assertEquals(half, q[1]);
        assertEquals(0, q[2]);
        next();
        long[] m = runI64(b.max(u64(max, 5), u64(1, half)));
        assertArrayEquals(new long[] {max, half}, m);
    }

    @Test
    void uint32ComparesAboveSignedRange() {
        MLOperand a = u32(s(2), 0x8000_0000, 1);
        MLOperand c = u32(s(2), 1, 0xFFFF_FFFF);
        assertArrayEquals(new int[] {1, 0}, runBytes(b.greater(a, c), false));
    }

    @Test
    void integerPowIsExactAndNegativeExponentsTruncate() {
        MLOperand a = i32(s(7), 3, 2, -2, 1, -1, -1, 5);
        MLOperand e = i32(s(7), 4, 31, 3, -5, -3, -4, -1);
        // 2^31 wraps to MIN_VALUE; 1/5 truncates to 0
        assertArrayEquals(new int[] {81, Integer.MIN_VALUE, -8, 1, -1, 1, 0}, runI32(b.pow(a, e)));
    }

    @Test
    void int8NegAndAbsWrapAtMinimum() {
        assertArrayEquals(new int[] {-128, 127, 0}, runBytes(b.abs(bytes(INT8, -128, -127, 0)), true));
        next();
        assertArrayEquals(new int[] {-128, 127, -5}, runBytes(b.neg(bytes(INT8, -128, -127, 5)), true));
    }

    // ------------------------------------------------------------------ float16 and float32

    @Test
    void float16ResultsRoundOnceAndOverflowToInfinity() {
        short[] got = runF16(b.add(f16(60000f, 1f), f16(10000f, 0.0009765625f)));
        assertEquals(Float.floatToFloat16(Float.POSITIVE_INFINITY), got[0]);
        // 1 + 2^-10 is exactly representable in half
        assertEquals(Float.floatToFloat16(1.0009765625f), got[1]);
        next();
        short[] q = runF16(b.div(f16(1f), f16(3f)));
        // 1/3 to nearest half: 0x3555
        assertEquals((short) 0x3555, q[0]);
    }

    @Test
    void float32PowAndSpecialValues() {
        float[] got = runF32(b.pow(f32(s(4), 2f, -8f, 0f, Float.NaN), f32(s(4), 0.5f, 1f / 3f, -1f, 0f)));
        assertEquals((float) Math.sqrt(2), got[0]);
        assertTrue(Float.isNaN(got[1]), "negative base with a fractional exponent is NaN");
        assertEquals(Float.POSITIVE_INFINITY, got[2]);
        assertEquals(1f, got[3]);
    }

    @Test
    void signKeepsNaNAndRoundEvenRoundsHalvesToEven() {
        float[] sg = runF32(b.sign(f32(s(4), Float.NaN, -3f, 0f, 2f)));
        assertTrue(Float.isNaN(sg[0]));
        assertArrayEquals(new float[] {-1f, 0f, 1f}, new float[] {sg[1], sg[2], sg[3]});
        next();
        float[] re = runF32(b.roundEven(f32(s(10), 0.1f, 0.9f, 1.1f, 1.9f, -3.5f, -2.5f, -1.5f, 1.5f, 2.5f, 3.5f)));
        // the example of the spec
        assertArrayEquals(new float[] {0, 1, 1, 2, -4, -2, -2, 2, 2, 4}, re);
    }

    @Test
    void comparisonsWithNaN() {
        MLOperand a = f32(s(3), Float.NaN, 1f, 2f);
        MLOperand c = f32(s(3), Float.NaN, Float.NaN, 2f);
        assertArrayEquals(new int[] {0, 0, 1}, runBytes(b.greaterOrEqual(a, c), false));
        next();
        a = f32(s(3), Float.NaN, 1f, 2f);
        c = f32(s(3), Float.NaN, Float.NaN, 2f);
        assertArrayEquals(new int[] {1, 1, 0}, runBytes(b.notEqual(a, c), false));
    }

    @Test
    void isNaNAndIsInfiniteOnFloat16Bits() {
        MLOperand x = f16(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, 0f);
        assertArrayEquals(new int[] {1, 0, 0, 0, 0}, runBytes(b.isNaN(x), false));
        next();
        x = f16(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, 0f);
        assertArrayEquals(new int[] {0, 1, 1, 0, 0}, runBytes(b.isInfinite(x), false));
    }

    @Test
    void logicalOpsTreatNonZeroAsTrue() {
        MLOperand a = bytes(UINT8, 0, 0, 2, 255);
        MLOperand c = bytes(UINT8, 0, 9, 0, 1);
        assertArrayEquals(new int[] {0, 1, 1, 0}, runBytes(b.logicalXor(a, c), false));
        next();
        assertArrayEquals(new int[] {1, 0, 0}, runBytes(b.logicalNot(bytes(UINT8, 0, 1, 200)), false));
    }

    // ------------------------------------------------------------------ cast

    @Test
    void castFloatToIntegerTruncatesAndSaturates() {
        MLOperand x = f32(s(6), 2.9f, -2.9f, 1e10f, -1e10f, Float.NaN, -0.5f);
        assertArrayEquals(new int[] {2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0}, runI32(b.cast(x, INT32)));
        next();
        x = f32(s(4), 300f, -1f, 254.9f, Float.POSITIVE_INFINITY);
        assertArrayEquals(new int[] {255, 0, 254, 255}, runBytes(b.cast(x, UINT8), false));
    }

    @Test
    void castIntegerToIntegerKeepsLowBits() {
        // the spec's example: int8 -1 -> uint8 255
        assertArrayEquals(new int[] {255, 128}, runBytes(b.cast(bytes(INT8, -1, -128), UINT8), false));
        next();
        assertArrayEquals(new int[] {-1, 0x12345678}, runI32(b.cast(i64(0xFFFF_FFFFL, 0x7_1234_5678L), INT32)));
        next();
        assertArrayEquals(new long[] {-1L}, runI64(b.cast(i32(s(1), -1), UINT64)));
        next();
        // int32 9 -> int4 wraps to -7 (low nibble 1001); uint4 of 17 -> 1
        ByteBuffer r = run(b.cast(i32(s(2), 9, 17), INT4));
        assertEquals(0x19, r.get(0) & 0xFF);
        next();
        ByteBuffer u = run(b.cast(i32(s(1), 17), UINT4));
        assertEquals(1, u.get(0) & 0x0F);
    }

    @Test
    void castLargeIntegersToFloatRoundOnce() {
        // 2^53 + 1 is not a double; its nearest float is 2^53
        long big = (1L << 53) + 1;
        // 2^24 + 1 rounds to even (2^24); 2^63 - 1 rounds up to 2^63
        float[] got = runF32(b.cast(i64(big, (1L << 24) + 1, Long.MAX_VALUE), FLOAT32));
        assertArrayEquals(new float[] {(float) (1L << 53), (float) (1L << 24), 9.223372e18f}, got);
        next();
        // uint64 2^64-1 -> 2^64 as float; 2^63 + 2^39 + 1 lies just above a float tie and must round up
        long tie = Long.MIN_VALUE + (1L << 39) + 1;
        float[] u = runF32(b.cast(u64(-1L, tie), FLOAT32));
        assertEquals(new BigDecimal("18446744073709551616").floatValue(), u[0]);
        float want = new BigDecimal(new BigInteger(Long.toUnsignedString(tie))).floatValue();
        assertEquals(want, u[1]);
        assertEquals(9223373136366403584.0f, u[1]);
    }

    @Test
    void castFloat32ToFloat16RoundsToNearestEven() {
        // 1 + 2^-11 is a tie between 1 and 1 + 2^-10 -> even (1); 1 + 3*2^-11 -> 1 + 2^-9
        short[] h = runF16(b.cast(f32(s(3), 1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 1e6f), FLOAT16));
        assertEquals(Float.floatToFloat16(1f), h[0]);
        assertEquals(Float.floatToFloat16(1f + 0x1p-9f), h[1]);
        assertEquals(Float.floatToFloat16(Float.POSITIVE_INFINITY), h[2]);
    }

    // ------------------------------------------------------------------ validation

    @Test
    void notBroadcastableIsALabelledTypeError() {
        MLOperand a = f32(s(4, 2), new float[8]);
        MLOperand c = f32(s(4), new float[4]);
        TypeError e = assertThrows(TypeError.class, () -> b.add(a, c, new MLOperatorOptions("sum1")));
        assertTrue(e.getMessage().startsWith("[sum1] add: "), e.getMessage());
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void mismatchedTypesAreLabelledTypeErrors() {
        MLOperand a = f32(s(2), 1, 2);
        MLOperand c = i32(s(2), 1, 2);
        TypeError e = assertThrows(TypeError.class, () -> b.equal(a, c, new MLOperatorOptions("eq")));
        assertTrue(e.getMessage().startsWith("[eq] equal: "), e.getMessage());
        assertThrows(TypeError.class, () -> b.logicalAnd(a, a));
        assertThrows(TypeError.class, () -> b.ceil(c));
        assertThrows(TypeError.class, () -> b.abs(u32(s(1), 1)));
    }

    @Test
    void whereValidation() {
        MLOperand cond = bytes(UINT8, 1, 0);
        MLOperand t = f32(s(2), 1, 2);
        MLOperand f16 = f16(1f, 2f);
        TypeError e = assertThrows(TypeError.class, () -> b.where(cond, t, f16, new MLOperatorOptions("w")));
        assertTrue(e.getMessage().startsWith("[w] where: "), e.getMessage());
        assertThrows(TypeError.class, () -> b.where(t, t, t));
        assertThrows(TypeError.class, () -> b.where(bytes(UINT8, 1, 0, 1), t, t));
        assertEquals(1, b.where(cond, t, f32(s(), 0f)).rank());
    }

    @Test
    void castValidation() {
        MLOperand x = f32(s(2), 1, 2);
        assertThrows(TypeError.class, () -> b.cast(x, null, new MLOperatorOptions("c")));
        MLOperand y = b.cast(x, UINT64);
        assertEquals(UINT64, y.dataType());
        assertArrayEquals(new long[] {2}, y.shape());
        MLOperand big = b.input("big", new MLOperandDescriptor(INT8, 1L << 30));
        assertThrows(TypeError.class, () -> b.cast(big, INT64));
    }

    @Test
    void logicalOutputsAreUint8() {
        MLOperand a = f32(s(2, 1), 1, 2);
        MLOperand c = f32(s(3), 1, 2, 3);
        MLOperand y = b.lesser(a, c);
        assertEquals(UINT8, y.dataType());
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertEquals(UINT8, b.isNaN(a).dataType());
    }
}
