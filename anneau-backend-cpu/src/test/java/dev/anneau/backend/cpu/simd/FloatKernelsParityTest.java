package dev.anneau.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar ones (the contract) on awkward lengths, with NaN,
 * infinities, signed zeros and subnormals mixed in. Runs twice in the build: on this CPU's widest
 * vectors, and with {@code -Danneau.vectorBits=128} (execution {@code parity-128}).
 * Skipped when the JVM lacks {@code --add-modules jdk.incubator.vector}.
 */
class FloatKernelsParityTest {
    /** Shorter than one vector, between one and two, and long runs with every kind of tail. */
    static final int[] SIZES = {1, 6, 13, 207, 702, 4098};

    static final FloatKernels SCALAR = VectorSupport.scalar();
    static FloatKernels vector;

    @BeforeAll
    static void probe() {
        VectorSupport.Probe p = VectorSupport.lookup();
        assumeTrue(p.kernels().vectorized(), "Vector API not available here: " + p.whyScalar());
        vector = p.kernels();
    }

    @Test
    void forcedVectorSizeIsHonoured() {
        String forced = System.getProperty(VectorSupport.BITS_PROPERTY);
        assumeTrue(forced != null && !forced.isBlank());
        assertTrue(vector.describe().contains(forced.trim() + "-bit"), vector.describe());
    }

    @Test
    void defaultKernelsAreTheVectorOnes() {
        // this test JVM has the module and C2, so the probe must not fall back
        assertTrue(VectorSupport.kernels().vectorized(), VectorSupport.status());
        assertFalse(VectorSupport.scalar().vectorized());
    }

    @Test
    void binaryMatchesBitForBit() {
        Random r = new Random(1);
        for (int n : SIZES) {
            for (FloatKernels.Binary op : FloatKernels.Binary.values()) {
                for (int[] strides : new int[][] {{1, 1}, {1, 0}, {0, 1}, {0, 0}}) {
                    float[] a = floats(r, n + 3), b = floats(r, n + 5);
                    int ao = 3, bo = 5, ro = 2;
                    float[] want = new float[n + 2], got = new float[n + 2];
                    SCALAR.binary(op, a, ao, strides[0], b, bo, strides[1], want, ro, n);
                    vector.binary(op, a, ao, strides[0], b, bo, strides[1], got, ro, n);
                    assertSameFloats(want, got, op + " strides " + strides[0] + "," + strides[1] + " n=" + n);
                }
            }
        }
    }

    @Test
    void activationsMatchBitForBit() {
        Random r = new Random(2);
        for (int n : SIZES) {
            float[] x = floats(r, n + 1);
            float[] want = new float[n + 4], got = new float[n + 4];
            SCALAR.relu(x, 1, want, 4, n);
            vector.relu(x, 1, got, 4, n);
            assertSameFloats(want, got, "relu n=" + n);
            for (float alpha : new float[] {0.01f, -3.5f, 0f, Float.MIN_VALUE}) {
                SCALAR.leakyRelu(x, 1, alpha, want, 4, n);
                vector.leakyRelu(x, 1, alpha, got, 4, n);
                assertSameFloats(want, got, "leakyRelu " + alpha + " n=" + n);
            }
            for (float[] bounds : new float[][] {{-1, 1}, {0, 6}, {Float.NaN, 2}, {-2, Float.NaN},
                    {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {-0f, 0f}}) {
                SCALAR.clamp(x, 1, bounds[0], bounds[1], want, 4, n);
                vector.clamp(x, 1, bounds[0], bounds[1], got, 4, n);
                assertSameFloats(want, got, "clamp [" + bounds[0] + ", " + bounds[1] + "] n=" + n);
            }
        }
    }

    @Test
    void maxAndMinMatchBitForBit() {
        Random r = new Random(3);
        for (int n : SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                float[] x = variant == 0 ? floats(r, n + 2) : finite(r, n + 2);
                if (variant == 2) x[1 + r.nextInt(n)] = Float.NaN; // one NaN anywhere wins
                if (variant == 3) java.util.Arrays.fill(x, -0f); // -0 only: the result keeps -0
                assertSameFloat(SCALAR.max(x, 1, n), vector.max(x, 1, n), "max n=" + n + " variant " + variant);
                assertSameFloat(SCALAR.min(x, 1, n), vector.min(x, 1, n), "min n=" + n + " variant " + variant);
            }
        }
    }

    @Test
    void sumsAgreeWithinTheirRoundingBound() {
        Random r = new Random(4);
        for (int n : SIZES) {
            float[] x = finite(r, n + 1);
            double abs = 0, squares = 0;
            for (int i = 1; i <= n; i++) {
                abs += Math.abs(x[i]);
                squares += (double) x[i] * x[i];
            }
            // two orders of n additions in double differ by at most about 2n ulps of the magnitudes summed
            double bound = 2.0 * n * Math.ulp(1.0) * abs, boundSq = 2.0 * n * Math.ulp(1.0) * squares;
            double s0 = SCALAR.sum(x, 1, n), s1 = vector.sum(x, 1, n);
            assertTrue(Math.abs(s0 - s1) <= bound, "sum n=" + n + ": " + s0 + " vs " + s1);
            double q0 = SCALAR.sumOfSquares(x, 1, n), q1 = vector.sumOfSquares(x, 1, n);
            assertTrue(Math.abs(q0 - q1) <= boundSq, "sumOfSquares n=" + n + ": " + q0 + " vs " + q1);
            // exactly representable data sum exactly in any order
            float[] ints = new float[n];
            for (int i = 0; i < n; i++) ints[i] = r.nextInt(2001) - 1000;
            assertEquals(SCALAR.sum(ints, 0, n), vector.sum(ints, 0, n), "integer sum n=" + n);
            assertEquals(SCALAR.sumOfSquares(ints, 0, n), vector.sumOfSquares(ints, 0, n), "integer squares n=" + n);
        }
        float[] special = {1, Float.NaN, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33};
        assertTrue(Double.isNaN(vector.sum(special, 0, special.length)));
        special[1] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, vector.sum(special, 0, special.length));
    }

    @Test
    void gemmMatchesBitForBitAsAPlainMatmul() {
        Random r = new Random(5);
        for (int n : SIZES) {
            for (int rows : new int[] {1, 3, 4, 9}) {
                int k = n > 700 ? 5 : 17;
                float[] a = floats(r, 2 + rows * k), b = floats(r, 3 + k * n);
                checkGemm(a, 2, k, b, 3, 1, FloatKernels.Terms.matmul(k, n), rows, n, "matmul " + rows + "x" + k + "x" + n);
            }
        }
    }

    @Test
    void gemmMatchesBitForBitWithConvolutionTermsStridesAndColumnRanges() {
        Random r = new Random(6);
        for (int n : SIZES) {
            for (int stride : new int[] {1, 2, 3}) {
                for (boolean ranges : new boolean[] {false, true}) {
                    int rows = 6, terms = 9, lda = 13;
                    // terms in any order, repeated offsets allowed (as a window over padded rows is);
                    // with ranges, each term adds to its own columns and b only exists there
                    int[] at = new int[terms], bt = new int[terms], from = new int[terms], to = new int[terms];
                    for (int t = 0; t < terms; t++) {
                        at[t] = r.nextInt(lda);
                        from[t] = ranges ? r.nextInt(Math.min(n, 5) + 1) : 0;
                        to[t] = ranges ? Math.max(from[t], n - r.nextInt(Math.min(n, 5) + 1)) : n;
                        bt[t] = r.nextInt(50) - from[t] * stride;
                    }
                    if (ranges && n > 2) from[terms - 1] = to[terms - 1] = n / 2; // a term that adds nowhere
                    float[] a = finite(r, rows * lda), b = finite(r, 50 + n * stride + 1);
                    FloatKernels.Terms tt = new FloatKernels.Terms(at, bt, ranges ? from : null, ranges ? to : null, terms);
                    checkGemm(a, 0, lda, b, 0, stride, tt, rows, n, "conv-like stride " + stride + " ranges " + ranges + " n=" + n);
                }
            }
        }
    }

    @Test
    void gemmAddsInTermOrderWithoutLosingSmallTerms() {
        // (1e8 + 1) - 1e8 in double is 1 (float accumulation would give 0); any reordering would differ too
        int n = 40;
        float[] a = {1e8f, 1, -1e8f};
        float[] b = new float[3 * n];
        java.util.Arrays.fill(b, 1f);
        double[] c = new double[n];
        vector.gemm(a, 0, 3, b, 0, 1, FloatKernels.Terms.matmul(3, n), 1, n, c, 0, n);
        for (double v : c) assertEquals(1.0, v);
    }

    @Test
    void gemmMaskedColumnsIgnoreInfiniteWeightsOutsideTheirRange() {
        // a term that skips a column must not add 0 * Infinity = NaN there
        int n = 37;
        float[] a = {Float.POSITIVE_INFINITY, 2};
        float[] b = new float[2 * n + 10];
        java.util.Arrays.fill(b, 1f);
        FloatKernels.Terms t = new FloatKernels.Terms(new int[] {0, 1}, new int[] {0, n}, new int[] {n - 1, 0},
                new int[] {n, n}, 2);
        double[] c = new double[n];
        vector.gemm(a, 0, 2, b, 0, 1, t, 1, n, c, 0, n);
        for (int j = 0; j < n - 1; j++) assertEquals(2.0, c[j], "column " + j);
        assertEquals(Double.POSITIVE_INFINITY, c[n - 1]);
    }

    private static void checkGemm(float[] a, int aOff, int lda, float[] b, int bOff, int bStride, FloatKernels.Terms terms,
                                  int rows, int cols, String what) {
        int ldc = cols + 3, cOff = 1;
        double[] want = new double[cOff + rows * ldc], got = new double[cOff + rows * ldc];
        java.util.Arrays.fill(got, 42); // overwritten, not added to
        java.util.Arrays.fill(want, 42);
        SCALAR.gemm(a, aOff, lda, b, bOff, bStride, terms, rows, cols, want, cOff, ldc);
        vector.gemm(a, aOff, lda, b, bOff, bStride, terms, rows, cols, got, cOff, ldc);
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToLongBits(want[i]) != Double.doubleToLongBits(got[i])) {
                fail(what + ": element " + i + ": scalar " + want[i] + ", vector " + got[i]);
            }
        }
    }

    /** Random floats of mixed magnitudes with about 1 in 16 special: NaN, ±Infinity, ±0, subnormal, ±MAX_VALUE. */
    static float[] floats(Random r, int n) {
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, 1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] x = finite(r, n);
        for (int i = 0; i < n; i++) if (r.nextInt(16) == 0) x[i] = specials[r.nextInt(specials.length)];
        return x;
    }

    /** Random finite floats of mixed sign and magnitude (1e-3 to 1e3). */
    static float[] finite(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble() * 6 - 3));
        return x;
    }

    /** Same value and sign, NaN equal to NaN (its payload may differ). */
    static void assertSameFloats(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                fail(what + ": element " + i + ": scalar " + want[i] + ", vector " + got[i]);
            }
        }
    }

    static void assertSameFloat(float want, float got, String what) {
        if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) fail(what + ": scalar " + want + ", vector " + got);
    }
}
