package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.MatrixOps.GemmAttributes;
import dev.anneau.webnn.ops.MatrixOps.MatmulAttributes;
import java.util.Arrays;

/**
 * CPU kernels of the matrix family (see {@code dev.anneau.webnn.MatrixMethods}). Operands are
 * float32 or float16; both are read as float (float16 widens exactly), products are accumulated
 * in double and each output element is rounded once to the output type.
 */
public final class MatrixKernels {
    private MatrixKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("matmul", MatrixKernels::prepareMatmul);
        registry.register("gemm", MatrixKernels::prepareGemm);
    }

    /** Receives one finished output row of {@code n} double sums. */
    @FunctionalInterface
    interface RowSink {
        void row(int i, double[] sums);
    }

    /** Rows handled together, so each loaded row of B serves several rows of A. */
    private static final int ROW_BLOCK = 4;

    /**
     * {@code sums(i, :) = A(i, :) * B} for an {@code m x k} row-major A at {@code aOff} and a
     * {@code k x n} row-major B at {@code bOff}; i-k-j order over blocks of rows (B is streamed
     * row by row, contiguous in the inner loop).
     */
    static void multiply(float[] a, int aOff, float[] b, int bOff, int m, int k, int n, RowSink sink) {
        double[][] acc = new double[ROW_BLOCK][n];
        int i = 0;
        for (; i + ROW_BLOCK <= m; i += ROW_BLOCK) {
            double[] c0 = acc[0], c1 = acc[1], c2 = acc[2], c3 = acc[3];
            Arrays.fill(c0, 0);
            Arrays.fill(c1, 0);
            Arrays.fill(c2, 0);
            Arrays.fill(c3, 0);
            int r0 = aOff + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int p = 0; p < k; p++) {
                double a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
                int bRow = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    double bv = b[bRow + j];
                    c0[j] += a0 * bv;
                    c1[j] += a1 * bv;
                    c2[j] += a2 * bv;
                    c3[j] += a3 * bv;
                }
            }
            sink.row(i, c0);
            sink.row(i + 1, c1);
            sink.row(i + 2, c2);
            sink.row(i + 3, c3);
        }
        double[] c0 = acc[0];
        for (; i < m; i++) {
            Arrays.fill(c0, 0);
            int r0 = aOff + i * k;
            for (int p = 0; p < k; p++) {
                double a0 = a[r0 + p];
                int bRow = bOff + p * n;
                for (int j = 0; j < n; j++) c0[j] += a0 * b[bRow + j];
            }
            sink.row(i, c0);
        }
    }

    /** The elements as floats: the float32 array itself, or float16 widened (exact). */
    static float[] floats(CpuTensor t) {
        if (t.dataType() == MLOperandDataType.FLOAT32) return t.f32();
        float[] out = new float[t.size()];
        if (t.dataType() == MLOperandDataType.FLOAT16) {
            short[] h = t.f16();
            for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(h[i]);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = (float) t.get(i);
        }
        return out;
    }

    /** Stores {@code v} rounded once to the output type. */
    static void store(CpuTensor out, int i, double v) {
        if (out.dataType() == MLOperandDataType.FLOAT32) out.f32()[i] = (float) v;
        else out.set(i, v);
    }

    /** A row-major copy of the transpose of a {@code rows x cols} row-major matrix. */
    static float[] transpose(float[] src, int rows, int cols) {
        float[] t = new float[src.length];
        for (int r = 0; r < rows; r++) {
            int s = r * cols;
            for (int c = 0; c < cols; c++) t[c * rows + r] = src[s + c];
        }
        return t;
    }

    static Kernel prepareMatmul(Operation op) {
        MatmulAttributes at = op.attributes(MatmulAttributes.class);
        int m = at.m(), k = at.k(), n = at.n();
        int[] aOffsets = at.aOffsets(), bOffsets = at.bOffsets();
        return (in, out) -> {
            float[] a = floats(in[0]), b = floats(in[1]);
            CpuTensor y = out[0];
            boolean f32 = y.dataType() == MLOperandDataType.FLOAT32;
            float[] yf = y.f32();
            for (int batch = 0; batch < aOffsets.length; batch++) {
                int yOff = batch * m * n;
                multiply(a, aOffsets[batch], b, bOffsets[batch], m, k, n, (i, sums) -> {
                    int row = yOff + i * n;
                    if (f32) {
                        for (int j = 0; j < n; j++) yf[row + j] = (float) sums[j];
                    } else {
                        for (int j = 0; j < n; j++) y.set(row + j, sums[j]);
                    }
                });
            }
        };
    }

    static Kernel prepareGemm(Operation op) {
        GemmAttributes at = op.attributes(GemmAttributes.class);
        int m = at.m(), k = at.k(), n = at.n();
        double alpha = at.alpha(), beta = at.beta();
        int cRow = at.cRowStride(), cCol = at.cColStride();
        return (in, out) -> {
            float[] a = floats(in[0]), b = floats(in[1]);
            if (at.aTranspose()) a = transpose(a, k, m);
            if (at.bTranspose()) b = transpose(b, n, k);
            CpuTensor c = at.hasC() ? in[2] : null;
            float[] cv = c == null ? null : floats(c);
            CpuTensor y = out[0];
            multiply(a, 0, b, 0, m, k, n, (i, sums) -> {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    double v = alpha * sums[j];
                    if (cv != null) v += beta * cv[i * cRow + j * cCol];
                    store(y, row + j, v);
                }
            });
        };
    }
}
