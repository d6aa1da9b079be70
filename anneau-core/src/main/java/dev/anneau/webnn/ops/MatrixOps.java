package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLGemmOptions;
import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;

/**
 * Validation and shape inference of the matrix family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-matmul and #api-mlgraphbuilder-gemm).
 * Data types and ranks were checked against the spec table by {@link OpCheck#operand}.
 */
public final class MatrixOps {
    private MatrixOps() {}

    /**
     * matmul geometry: {@code batches} output matrices of {@code m x n}, each the product of the
     * {@code m x k} matrix of {@code a} at element offset {@code aOffsets[i]} and the {@code k x n}
     * matrix of {@code b} at {@code bOffsets[i]} (batch dimensions already broadcast).
     */
    public record MatmulAttributes(int m, int k, int n, int[] aOffsets, int[] bOffsets) {
        public int batches() { return aOffsets.length; }
    }

    public static TensorType matmul(OpCheck check, TensorType a, TensorType b, MatmulAttributes[] attributes) {
        int[] sa = a.dims(), sb = b.dims();
        int ra = sa.length, rb = sb.length;
        check.require(ra >= 2, "a: rank must be at least 2, got %d (shape %s)", ra, Arrays.toString(sa));
        check.require(rb >= 2, "b: rank must be at least 2, got %d (shape %s)", rb, Arrays.toString(sb));
        int m = sa[ra - 2], k = sa[ra - 1], kb = sb[rb - 2], n = sb[rb - 1];
        check.require(k == kb, "the columns of a (%d, shape %s) must equal the rows of b (%d, shape %s)", k,
                Arrays.toString(sa), kb, Arrays.toString(sb));
        int[] batchA = Arrays.copyOf(sa, ra - 2), batchB = Arrays.copyOf(sb, rb - 2);
        int[] batch = Broadcast.bidirectional(batchA, batchB);
        check.require(batch != null, "the batch shapes %s of a and %s of b are not broadcastable",
                Arrays.toString(batchA), Arrays.toString(batchB));
        long[] outShape = new long[batch.length + 2];
        for (int i = 0; i < batch.length; i++) outShape[i] = batch[i];
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        TensorType out = check.output(a.dataType(), outShape);

        int batches = 1;
        for (int d : batch) batches *= d; // fits: the output size fits an int
        int[] strideA = Broadcast.broadcastStrides(batchA, batch), strideB = Broadcast.broadcastStrides(batchB, batch);
        int[] aOffsets = new int[batches], bOffsets = new int[batches];
        int[] index = new int[batch.length];
        for (int i = 0; i < batches; i++) {
            long offA = 0, offB = 0;
            for (int d = 0; d < batch.length; d++) {
                offA += (long) index[d] * strideA[d];
                offB += (long) index[d] * strideB[d];
            }
            aOffsets[i] = (int) (offA * m * k);
            bOffsets[i] = (int) (offB * k * n);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++index[d] < batch[d]) break;
                index[d] = 0;
            }
        }
        attributes[0] = new MatmulAttributes(m, k, n, aOffsets, bOffsets);
        return out;
    }

    /**
     * gemm: {@code alpha * A' * B' + beta * C}, A' = a or its transpose ({@code m x k}), B' = b or
     * its transpose ({@code k x n}). {@code alpha}/{@code beta} are already cast to the operand
     * data type, as the spec says. {@code c} is read with {@code cRowStride}/{@code cColStride}
     * (0 along broadcast dimensions).
     */
    public record GemmAttributes(int m, int k, int n, boolean aTranspose, boolean bTranspose, double alpha,
                                 double beta, boolean hasC, int cRowStride, int cColStride) {}

    public static TensorType gemm(OpCheck check, TensorType a, TensorType b, TensorType c, MLGemmOptions options,
                                  GemmAttributes[] attributes) {
        MLGemmOptions o = options == null ? new MLGemmOptions() : options;
        boolean aT = Boolean.TRUE.equals(o.aTranspose()), bT = Boolean.TRUE.equals(o.bTranspose());
        // alpha and beta are WebIDL doubles: NaN and the infinities are a TypeError
        check.require(o.alpha() == null || Double.isFinite(o.alpha()), "options.alpha must be a finite number (WebIDL double), got %s", o.alpha());
        check.require(o.beta() == null || Double.isFinite(o.beta()), "options.beta must be a finite number (WebIDL double), got %s", o.beta());
        double alpha = castTo(a.dataType(), o.alpha() == null ? 1.0 : o.alpha());
        double beta = castTo(a.dataType(), o.beta() == null ? 1.0 : o.beta());
        int[] sa = a.dims(), sb = b.dims();
        int m = aT ? sa[1] : sa[0], k = aT ? sa[0] : sa[1];
        int kb = bT ? sb[1] : sb[0], n = bT ? sb[0] : sb[1];
        check.require(k == kb,
                "the inner dimensions differ: a%s gives [%d, %d], b%s gives [%d, %d]; they must share K",
                aT ? " (transposed, shape " + Arrays.toString(sa) + ")" : " " + Arrays.toString(sa), m, k,
                bT ? " (transposed, shape " + Arrays.toString(sb) + ")" : " " + Arrays.toString(sb), kb, n);
        int cRow = 0, cCol = 0;
        if (c != null) {
            int[] sc = c.dims();
            check.require(Broadcast.unidirectional(sc, new int[] {m, n}),
                    "c: shape %s is not unidirectionally broadcastable to the output shape [%d, %d]",
                    Arrays.toString(sc), m, n);
            int[] strides = Broadcast.broadcastStrides(sc, new int[] {m, n});
            cRow = strides[0];
            cCol = strides[1];
        }
        TensorType out = check.output(a.dataType(), (long) m, (long) n);
        attributes[0] = new GemmAttributes(m, k, n, aT, bT, alpha, beta, c != null, cRow, cCol);
        return out;
    }

    /** The spec's "cast" of an option number to the operand type (float32 or float16). */
    private static double castTo(MLOperandDataType type, double v) {
        return switch (type) {
            case FLOAT32 -> (float) v;
            case FLOAT16 -> Numbers.halfToFloat(Numbers.doubleToHalf(v));
            default -> v;
        };
    }
}
