package dev.anneau.webnn.ops;

import java.util.Arrays;

/**
 * Validation and shape inference of {@code quantizeLinear} and {@code dequantizeLinear}
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-quantizelinear).
 *
 * <p>The scale and zero point are <em>blockwise broadcast</em> to the input: each of their
 * dimensions must divide the input's, and every scale element covers a block of
 * {@code input.dim / scale.dim} elements along that axis (a dimension of 1 covers the whole axis,
 * which is ordinary broadcasting). The current spec requires the scale's rank to equal the
 * input's. The WPT suite this project follows (2025-03) also passes a scale of lower rank
 * (e.g. [5] for a [3, 2, 5] input, or [2] for [3, 4] meaning blocks of [3, 2]), aligned to the
 * input's trailing dimensions as in NumPy broadcasting; such a scale is accepted and read as if
 * it had leading dimensions of 1. A scale of higher rank than the input is an error.
 */
public final class QuantizationOps {
    private QuantizationOps() {}

    /**
     * {@code scale}/{@code zeroPoint} shape, padded with leading 1s to {@code rank}; null when its
     * rank is above {@code rank} (the caller reports that).
     */
    public static TensorType alignedToRank(TensorType t, int rank) {
        if (t.rank() > rank) return null;
        int[] dims = new int[rank];
        Arrays.fill(dims, 1);
        int[] d = t.dims();
        System.arraycopy(d, 0, dims, rank - d.length, d.length);
        return t.withDims(dims);
    }

    /**
     * Checks the scale and zero point (their original types; data types were checked against the
     * spec table already) against the input and returns the output shape: the input's.
     */
    public static int[] blockwiseShape(OpCheck check, TensorType input, TensorType scale, TensorType zeroPoint) {
        check.require(scale.rank() <= input.rank(), "scale: rank %d must not exceed input's rank %d (scale shape %s, input shape %s)",
                scale.rank(), input.rank(), Arrays.toString(scale.dims()), Arrays.toString(input.dims()));
        check.require(scale.sameShape(zeroPoint), "zeroPoint: shape %s must equal scale's shape %s",
                Arrays.toString(zeroPoint.dims()), Arrays.toString(scale.dims()));
        int[] in = input.dims();
        int[] s = alignedToRank(scale, input.rank()).dims();
        for (int i = 0; i < in.length; i++) {
            if (in[i] % s[i] != 0) {
                throw check.error("scale: shape %s is not blockwise broadcastable to input shape %s: input dimension %d (%d) "
                                + "is not a multiple of the scale's (%d)",
                        Arrays.toString(scale.dims()), Arrays.toString(in), i, in[i], s[i]);
            }
        }
        return in;
    }
}
