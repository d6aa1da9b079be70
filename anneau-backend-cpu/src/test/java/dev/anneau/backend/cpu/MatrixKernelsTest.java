package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ConvPoolMatrixSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.anneau.webnn.MLGemmOptions;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** matmul and gemm against naive evaluations of their definitions (broadcast batches, transposes, alpha/beta/c). */
class MatrixKernelsTest {

    @Test
    void matmulSmallExampleByHand() {
        double[] y = run((b, o) -> b.matmul(o[0], o[1]), 4, Data.f32(new int[] {2, 2}, 1, 2, 3, 4),
                Data.f32(new int[] {2, 2}, 5, 6, 7, 8));
        assertArrayEquals(new double[] {19, 22, 43, 50}, y);
    }

    @Test
    void matmulBroadcastsBatchDimensions() {
        Random r = new Random(1);
        int m = 7, k = 9, n = 5; // 7 rows: one block of four and three single rows
        double[] a = random(r, 2 * 1 * m * k), bv = random(r, 3 * k * n);
        double[] expected = new double[2 * 3 * m * n];
        for (int i0 = 0; i0 < 2; i0++)
            for (int i1 = 0; i1 < 3; i1++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += a[(i0 * m + i) * k + p] * bv[(i1 * k + p) * n + j];
                        expected[((i0 * 3 + i1) * m + i) * n + j] = s;
                    }
        double[] got = run((b, o) -> b.matmul(o[0], o[1]), expected.length, Data.f32(new int[] {2, 1, m, k}, a),
                Data.f32(new int[] {3, k, n}, bv).asConstant());
        assertClose(expected, got, 1e-6);
    }

    @Test
    void matmulSumsWithoutLosingSmallTermsToCancellation() {
        // float32 accumulation would give 0: 1e8 + 1 rounds back to 1e8
        double[] y = run((b, o) -> b.matmul(o[0], o[1]), 1, Data.f32(new int[] {1, 3}, 1e8, 1, -1e8),
                Data.f32(new int[] {3, 1}, 1, 1, 1));
        assertArrayEquals(new double[] {1}, y);
    }

    @Test
    void gemmAppliesTransposesAlphaAndBroadcastBetaC() {
        Random r = new Random(2);
        int m = 6, k = 4, n = 3;
        double[] a = random(r, k * m), bv = random(r, n * k); // stored transposed: a is [k, m], b is [n, k]
        double alpha = 1.5, beta = -0.25;
        double[][] cs = {random(r, n), random(r, m), {0.75}};
        int[][] cShapes = {{n}, {m, 1}, {}};
        for (int t = 0; t < cs.length; t++) {
            double[] c = cs[t];
            int[] cShape = cShapes[t];
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[p * m + i] * bv[j * k + p];
                    double cv = cShape.length == 0 ? c[0] : cShape.length == 1 ? c[j] : c[i];
                    expected[i * n + j] = alpha * s + beta * cv;
                }
            double[] got = run((b, o) -> b.gemm(o[0], o[1], new MLGemmOptions().withC(o[2]).withAlpha(alpha).withBeta(beta)
                            .withATranspose(true).withBTranspose(true)), m * n,
                    Data.f32(new int[] {k, m}, a), Data.f32(new int[] {n, k}, bv), Data.f32(cShape, c).asConstant());
            assertClose(expected, got, 1e-6);
        }
    }

    @Test
    void gemmWithoutCIsAlphaTimesTheProduct() {
        double[] y = run((b, o) -> b.gemm(o[0], o[1], new MLGemmOptions().withAlpha(2.0).withBeta(5.0)), 1,
                Data.f32(new int[] {1, 2}, 1, 2), Data.f32(new int[] {2, 1}, 3, 4));
        assertArrayEquals(new double[] {22}, y);
    }

    @Test
    void validationErrorsAreLabelled() {
        assertTypeError("m1", (b, o) -> b.matmul(o[0], o[1], new dev.anneau.webnn.MLOperatorOptions("m1")),
                shapes(FLOAT32, new int[] {2, 3}, new int[] {2, 4}), "columns of a (3", "rows of b (2");
        assertTypeError("m2", (b, o) -> b.matmul(o[0], o[1], new dev.anneau.webnn.MLOperatorOptions("m2")),
                shapes(FLOAT32, new int[] {3, 3, 4}, new int[] {2, 4, 1}), "[3]", "[2]", "broadcastable");
        assertTypeError("g1", (b, o) -> b.gemm(o[0], o[1], new MLGemmOptions().withC(o[2]).withLabel("g1")),
                shapes(FLOAT32, new int[] {2, 3}, new int[] {3, 4}, new int[] {2, 3}), "c: shape [2, 3]", "[2, 4]");
        assertTypeError("g2", (b, o) -> b.gemm(o[0], o[1], new MLGemmOptions().withATranspose(true).withLabel("g2")),
                shapes(FLOAT32, new int[] {2, 3}, new int[] {3, 4}), "transposed");
    }
}
