package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ConvPoolMatrixSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.anneau.backend.cpu.simd.VectorSupport;
import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLGemmOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLReduceOptions;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole graphs on a context with the scalar kernels ({@code -Danneau.vector=false} at context
 * creation) and on one with the Vector API kernels: the outputs must be the same bytes (the sums of
 * the reductions excepted, which may add in another order). Shapes are wide enough that the vector
 * tiles, the scalar tails and the padded edge columns of conv2d all run; the 128-bit build run
 * ({@code -Danneau.vectorBits=128}) repeats them on the narrowest vectors.
 */
class CpuVectorParityTest {

    @BeforeAll
    static void vectorKernelsPresent() {
        assumeTrue(VectorSupport.kernels().vectorized(), "Vector API not available: " + VectorSupport.status());
    }

    /** What {@code run} gives while new contexts get the scalar kernels. */
    static <T> T scalar(Supplier<T> run) {
        String before = System.getProperty(VectorSupport.ENABLE_PROPERTY);
        System.setProperty(VectorSupport.ENABLE_PROPERTY, "false");
        try {
            return run.get();
        } finally {
            if (before == null) System.clearProperty(VectorSupport.ENABLE_PROPERTY);
            else System.setProperty(VectorSupport.ENABLE_PROPERTY, before);
        }
    }

    static void assertSameBytes(Op op, Data... data) {
        ByteBuffer want = scalar(() -> runRaw(op, data));
        ByteBuffer got = runRaw(op, data);
        assertEquals(want.remaining(), got.remaining());
        for (int i = 0; i < want.remaining(); i++) {
            if (want.get(i) != got.get(i)) {
                throw new AssertionError("byte " + i + " differs: scalar " + want.get(i) + ", vector " + got.get(i));
            }
        }
    }

    @Test
    void theVectorPropertySelectsTheKernelsPerContext() {
        CpuBackendProvider p = new CpuBackendProvider();
        assertTrue(((CpuBackend) p.create(null)).simd().vectorized());
        assertFalse(scalar(() -> ((CpuBackend) p.create(null)).simd()).vectorized());
        assertTrue(p.probe().detail().contains("Vector API"), p.probe().detail());
    }

    @Test
    void conv2dIsIdentical() {
        Random r = new Random(11);
        int[][] shapes = {{1, 3, 9, 37}, {2, 4, 6, 21}};
        for (int[] xd : shapes) {
            int c = xd[1];
            for (int[] cfg : new int[][] {
                    // kH, kW, groups, strideH, strideW, dilH, dilW, padT, padB, padL, padR
                    {3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                    {3, 5, 1, 2, 2, 1, 1, 0, 2, 2, 1},
                    {2, 3, 1, 1, 1, 2, 3, 1, 0, 4, 0},
                    {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
                    {3, 3, c, 1, 1, 1, 1, 1, 1, 1, 1}, // depthwise
                    {1, 7, 1, 1, 3, 1, 1, 0, 0, 3, 3}}) {
                int kH = cfg[0], kW = cfg[1], groups = cfg[2];
                int oc = groups == 1 ? 5 : c;
                int[] wd = {oc, c / groups, kH, kW};
                MLConv2dOptions o = new MLConv2dOptions().withGroups(groups).withStrides(new int[] {cfg[3], cfg[4]})
                        .withDilations(new int[] {cfg[5], cfg[6]}).withPadding(new int[] {cfg[7], cfg[8], cfg[9], cfg[10]});
                Data x = Data.f32(xd, random(r, size(xd)));
                Data w = Data.f32(wd, random(r, size(wd))).asConstant();
                Data bias = Data.f32(new int[] {oc}, random(r, oc)).asConstant();
                assertSameBytes((b, op) -> b.conv2d(op[0], op[1], o.withBias(op[2])), x, w, bias);
                assertSameBytes((b, op) -> b.conv2d(op[0], op[1], o), x.as(FLOAT16), w.as(FLOAT16));
            }
        }
        // nhwc input, a non-constant filter
        int[] xd = {1, 17, 23, 3};
        MLConv2dOptions nhwc = new MLConv2dOptions().withInputLayout(MLInputOperandLayout.NHWC)
                .withPadding(new int[] {1, 1, 1, 1});
        assertSameBytes((b, op) -> b.conv2d(op[0], op[1], nhwc), Data.f32(xd, random(r, size(xd))),
                Data.f32(new int[] {4, 3, 3, 3}, random(r, 108)));
    }

    @Test
    void conv2dOnWideRowsMatchesItsDefinition() {
        // the vector path against the naive definition (not only against the scalar kernels)
        Random r = new Random(12);
        int[] xd = {1, 3, 5, 45}, wd = {4, 3, 3, 3};
        int[] pad = {1, 1, 2, 1}, stride = {1, 1}, dil = {1, 1};
        double[] x = random(r, size(xd)), w = random(r, size(wd));
        int outH = 5, outW = 45 + 3 - 3 + 1;
        double[] expected = ConvolutionKernelsTest.conv2dReference(x, xd, w, wd, null, 1, pad, stride, dil, outH, outW);
        double[] got = run((b, op) -> b.conv2d(op[0], op[1], new MLConv2dOptions().withPadding(pad)),
                expected.length, Data.f32(xd, x), Data.f32(wd, w).asConstant());
        assertClose(expected, got, 1e-6);
    }

    @Test
    void matmulAndGemmAreIdentical() {
        Random r = new Random(13);
        for (int[] mkn : new int[][] {{1, 33, 70}, {7, 19, 35}, {37, 5, 129}, {4, 64, 16}}) {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Data a = Data.f32(new int[] {m, k}, random(r, m * k));
            Data bm = Data.f32(new int[] {k, n}, random(r, k * n));
            assertSameBytes((b, op) -> b.matmul(op[0], op[1]), a, bm.asConstant());
            assertSameBytes((b, op) -> b.matmul(op[0], op[1]), a.as(FLOAT16), bm.as(FLOAT16));
            Data at = Data.f32(new int[] {k, m}, random(r, m * k));
            Data c = Data.f32(new int[] {n}, random(r, n)).asConstant();
            assertSameBytes((b, op) -> b.gemm(op[0], op[1], new MLGemmOptions().withATranspose(true).withC(op[2])
                    .withAlpha(0.5).withBeta(2.0)), at, bm, c);
        }
        assertSameBytes((b, op) -> b.matmul(op[0], op[1]), Data.f32(new int[] {3, 5, 11}, random(r, 165)),
                Data.f32(new int[] {11, 40}, random(r, 440)));
    }

    @Test
    void elementwiseAndActivationsAreIdentical() {
        Random r = new Random(14);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e-40};
        double[] x = random(r, 2 * 3 * 67), y = random(r, 2 * 3 * 67), row = random(r, 67);
        for (int i = 0; i < x.length; i += 7) x[i] = specials[(i / 7) % specials.length];
        for (int i = 3; i < y.length; i += 11) y[i] = specials[(i / 11) % specials.length];
        int[] shape = {2, 3, 67};
        Data a = Data.f32(shape, x), b2 = Data.f32(shape, y);
        Data bRow = Data.f32(new int[] {67}, row), scalarB = Data.f32(new int[] {}, 0.75);
        for (Op op : new Op[] {(b, o) -> b.add(o[0], o[1]), (b, o) -> b.sub(o[0], o[1]), (b, o) -> b.mul(o[0], o[1]),
                (b, o) -> b.div(o[0], o[1]), (b, o) -> b.max(o[0], o[1]), (b, o) -> b.min(o[0], o[1])}) {
            assertSameBytes(op, a, b2);
            assertSameBytes(op, a, bRow);
            assertSameBytes(op, a, scalarB);
            assertSameBytes((b, o) -> op.apply(b, new dev.anneau.webnn.MLOperand[] {o[1], o[0]}), a, scalarB);
        }
        assertSameBytes((b, o) -> b.relu(o[0]), a);
        assertSameBytes((b, o) -> b.leakyRelu(o[0], new MLLeakyReluOptions().withAlpha(0.1)), a);
        assertSameBytes((b, o) -> b.clamp(o[0], new MLClampOptions().withMinValue(-0.5).withMaxValue(0.25)), a);
    }

    @Test
    void reductionsAgree() {
        Random r = new Random(15);
        int[] shape = {3, 5, 131};
        Data a = Data.f32(shape, random(r, size(shape)));
        MLReduceOptions last = new MLReduceOptions().withAxes(new int[] {2});
        MLReduceOptions lastTwo = new MLReduceOptions().withAxes(new int[] {1, 2});
        // max and min are exact; the sums are compared within one float32 rounding
        assertSameBytes((b, o) -> b.reduceMax(o[0], last), a);
        assertSameBytes((b, o) -> b.reduceMin(o[0], lastTwo), a);
        for (Op op : new Op[] {(b, o) -> b.reduceSum(o[0], last), (b, o) -> b.reduceMean(o[0], lastTwo),
                (b, o) -> b.reduceL2(o[0], last), (b, o) -> b.reduceSumSquare(o[0], lastTwo)}) {
            int n = (int) java.util.Arrays.stream(shapeOf(op, a)).reduce(1, (p, q) -> p * q);
            double[] want = decode(FLOAT32, scalar(() -> runRaw(op, a)), n);
            double[] got = decode(FLOAT32, runRaw(op, a), n);
            for (int i = 0; i < n; i++) {
                assertTrue(Math.abs(want[i] - got[i]) <= Math.ulp((float) want[i]), i + ": " + want[i] + " vs " + got[i]);
            }
        }
        // integer-valued data sum exactly in any order
        double[] ints = new double[size(shape)];
        for (int i = 0; i < ints.length; i++) ints[i] = r.nextInt(201) - 100;
        Data exact = Data.f32(shape, ints);
        assertSameBytes((b, o) -> b.reduceSum(o[0], last), exact);
        assertArrayEquals(decode(FLOAT32, scalar(() -> runRaw((b, o) -> b.reduceMean(o[0], lastTwo), exact)), 3),
                decode(FLOAT32, runRaw((b, o) -> b.reduceMean(o[0], lastTwo), exact), 3));
    }
}
