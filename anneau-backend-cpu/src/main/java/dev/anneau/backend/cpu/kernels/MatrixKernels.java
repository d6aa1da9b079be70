package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.MatrixOps.GemmAttributes;
import dev.anneau.webnn.ops.MatrixOps.MatmulAttributes;

/**
 * CPU kernels of the matrix family (see {@code dev.anneau.webnn.MatrixMethods}). Operands are
 * float32 or float16; both are read as float (float16 widens exactly), products are accumulated
 * in double and each output element is rounded once to the output type.
 */
public final class MatrixKernels {
    private MatrixKernels() {}

    public static void register(KernelRegistry registry) {
        FloatKernels simd = registry.simd();
        registry.register("matmul", op -> prepareMatmul(op, simd));
        registry.register("gemm", op -> prepareGemm(op, simd));
    }

    /** Receives one finished output row: {@code n} double sums from {@code sums[off]}. */
    @FunctionalInterface
    interface RowSink {
        void row(int i, double[] sums, int off);
    }

    /** Rows per {@link FloatKernels#gemm} call: each loaded panel of B serves this many rows of A. */
    private static final int ROW_BLOCK = 32;

    /**
     * {@code sums(i, :) = A(i, :) * B} for an {@code m x k} row-major A at {@code aOff} and a
     * {@code k x n} row-major B at {@code bOff}, in blocks of rows, each sum in double in
     * ascending k ({@link FloatKernels#gemm}).
     */
    static void multiply(FloatKernels simd, FloatKernels.Terms terms, float[] a, int aOff, float[] b, int bOff, int m, int k, int n,
                         RowSink sink) {
        int block = Math.min(ROW_BLOCK, Math.max(1, m));
        double[] c = new double[block * n];
        for (int i = 0; i < m; i += block) {
            int rows = Math.min(block, m - i);
            simd.gemm(a, aOff + i * k, k, b, bOff, 1, terms, rows, n, c, 0, n);
            for (int r = 0; r < rows; r++) sink.row(i + r, c, r * n);
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

    static Kernel prepareMatmul(Operation op, FloatKernels simd) {
        MatmulAttributes at = op.attributes(MatmulAttributes.class);
        int m = at.m(), k = at.k(), n = at.n();
        FloatKernels.Terms terms = FloatKernels.Terms.matmul(k, n);
        int[] aOffsets = at.aOffsets(), bOffsets = at.bOffsets();
        return (in, out) -> {
            float[] a = floats(in[0]), b = floats(in[1]);
            CpuTensor y = out[0];
            boolean f32 = y.dataType() == MLOperandDataType.FLOAT32;
            float[] yf = y.f32();
            for (int batch = 0; batch < aOffsets.length; batch++) {
                int yOff = batch * m * n;
                multiply(simd, terms, a, aOffsets[batch], b, bOffsets[batch], m, k, n, (i, sums, off) -> {
                    int row = yOff + i * n;
                    if (f32) {
                        for (int j = 0; j < n; j++) yf[row + j] = (float) sums[off + j];
                    } else {
                        for (int j = 0; j < n; j++) y.set(row + j, sums[off + j]);
                    }
                });
            }
        };
    }

    static Kernel prepareGemm(Operation op, FloatKernels simd) {
        GemmAttributes at = op.attributes(GemmAttributes.class);
        int m = at.m(), k = at.k(), n = at.n();
        FloatKernels.Terms terms = FloatKernels.Terms.matmul(k, n);
        double alpha = at.alpha(), beta = at.beta();
        int cRow = at.cRowStride(), cCol = at.cColStride();
        return (in, out) -> {
            float[] a = floats(in[0]), b = floats(in[1]);
            if (at.aTranspose()) a = transpose(a, k, m);
            if (at.bTranspose()) b = transpose(b, n, k);
            CpuTensor c = at.hasC() ? in[2] : null;
            float[] cv = c == null ? null : floats(c);
            CpuTensor y = out[0];
            multiply(simd, terms, a, 0, b, 0, m, k, n, (i, sums, off) -> {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    double v = alpha * sums[off + j];
                    if (cv != null) v += beta * cv[i * cRow + j * cCol];
                    store(y, row + j, v);
                }
            });
        };
    }
}
