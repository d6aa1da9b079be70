package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ShapeMethods {

    /** {@code concat} */
    default MLOperand concat(java.util.List<MLOperand> inputs, int axis, MLOperatorOptions options) {
        throw new NotSupportedError("concat is not implemented yet");
    }

    default MLOperand concat(java.util.List<MLOperand> inputs, int axis) { return concat(inputs, axis, null); }

    /** {@code expand} */
    default MLOperand expand(MLOperand input, long[] newShape, MLOperatorOptions options) {
        throw new NotSupportedError("expand is not implemented yet");
    }

    default MLOperand expand(MLOperand input, long[] newShape) { return expand(input, newShape, null); }

    /** {@code gather} */
    default MLOperand gather(MLOperand input, MLOperand indices, MLGatherOptions options) {
        throw new NotSupportedError("gather is not implemented yet");
    }

    default MLOperand gather(MLOperand input, MLOperand indices) { return gather(input, indices, null); }

    /** {@code gatherElements} */
    default MLOperand gatherElements(MLOperand input, MLOperand indices, MLGatherOptions options) {
        throw new NotSupportedError("gatherElements is not implemented yet");
    }

    default MLOperand gatherElements(MLOperand input, MLOperand indices) { return gatherElements(input, indices, null); }

    /** {@code gatherND} */
    default MLOperand gatherND(MLOperand input, MLOperand indices, MLOperatorOptions options) {
        throw new NotSupportedError("gatherND is not implemented yet");
    }

    default MLOperand gatherND(MLOperand input, MLOperand indices) { return gatherND(input, indices, null); }

    /** {@code scatterElements} */
    default MLOperand scatterElements(MLOperand input, MLOperand indices, MLOperand updates, MLScatterOptions options) {
        throw new NotSupportedError("scatterElements is not implemented yet");
    }

    default MLOperand scatterElements(MLOperand input, MLOperand indices, MLOperand updates) { return scatterElements(input, indices, updates, null); }

    /** {@code scatterND} */
    default MLOperand scatterND(MLOperand input, MLOperand indices, MLOperand updates, MLOperatorOptions options) {
        throw new NotSupportedError("scatterND is not implemented yet");
    }

    default MLOperand scatterND(MLOperand input, MLOperand indices, MLOperand updates) { return scatterND(input, indices, updates, null); }

    /** {@code pad} */
    default MLOperand pad(MLOperand input, int[] beginningPadding, int[] endingPadding, MLPadOptions options) {
        throw new NotSupportedError("pad is not implemented yet");
    }

    default MLOperand pad(MLOperand input, int[] beginningPadding, int[] endingPadding) { return pad(input, beginningPadding, endingPadding, null); }

    /** {@code reshape} */
    default MLOperand reshape(MLOperand input, long[] newShape, MLOperatorOptions options) {
        throw new NotSupportedError("reshape is not implemented yet");
    }

    default MLOperand reshape(MLOperand input, long[] newShape) { return reshape(input, newShape, null); }

    /** {@code slice} */
    default MLOperand slice(MLOperand input, int[] starts, int[] sizes, MLSliceOptions options) {
        throw new NotSupportedError("slice is not implemented yet");
    }

    default MLOperand slice(MLOperand input, int[] starts, int[] sizes) { return slice(input, starts, sizes, null); }

    /** {@code split}: Splits into `splits` equal parts along options.axis. */
    default MLOperand[] split(MLOperand input, int splits, MLSplitOptions options) {
        throw new NotSupportedError("split is not implemented yet");
    }

    default MLOperand[] split(MLOperand input, int splits) { return split(input, splits, null); }

    /** {@code split}: Splits into parts of the given sizes along options.axis. */
    default MLOperand[] split(MLOperand input, int[] splits, MLSplitOptions options) {
        throw new NotSupportedError("split is not implemented yet");
    }

    default MLOperand[] split(MLOperand input, int[] splits) { return split(input, splits, null); }

    /** {@code transpose} */
    default MLOperand transpose(MLOperand input, MLTransposeOptions options) {
        throw new NotSupportedError("transpose is not implemented yet");
    }

    default MLOperand transpose(MLOperand input) { return transpose(input, null); }

    /** {@code reverse} */
    default MLOperand reverse(MLOperand input, MLReverseOptions options) {
        throw new NotSupportedError("reverse is not implemented yet");
    }

    default MLOperand reverse(MLOperand input) { return reverse(input, null); }

    /** {@code tile} */
    default MLOperand tile(MLOperand input, int[] repetitions, MLOperatorOptions options) {
        throw new NotSupportedError("tile is not implemented yet");
    }

    default MLOperand tile(MLOperand input, int[] repetitions) { return tile(input, repetitions, null); }

    /** {@code triangular} */
    default MLOperand triangular(MLOperand input, MLTriangularOptions options) {
        throw new NotSupportedError("triangular is not implemented yet");
    }

    default MLOperand triangular(MLOperand input) { return triangular(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
