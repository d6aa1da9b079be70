package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface PoolingMethods {

    /** {@code averagePool2d} */
    default MLOperand averagePool2d(MLOperand input, MLPool2dOptions options) {
        throw new NotSupportedError("averagePool2d is not implemented yet");
    }

    default MLOperand averagePool2d(MLOperand input) { return averagePool2d(input, null); }

    /** {@code l2Pool2d} */
    default MLOperand l2Pool2d(MLOperand input, MLPool2dOptions options) {
        throw new NotSupportedError("l2Pool2d is not implemented yet");
    }

    default MLOperand l2Pool2d(MLOperand input) { return l2Pool2d(input, null); }

    /** {@code maxPool2d} */
    default MLOperand maxPool2d(MLOperand input, MLPool2dOptions options) {
        throw new NotSupportedError("maxPool2d is not implemented yet");
    }

    default MLOperand maxPool2d(MLOperand input) { return maxPool2d(input, null); }

    /** {@code resample2d}: Resizes the two spatial axes (options.axes). */
    default MLOperand resample2d(MLOperand input, MLResample2dOptions options) {
        throw new NotSupportedError("resample2d is not implemented yet");
    }

    default MLOperand resample2d(MLOperand input) { return resample2d(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
