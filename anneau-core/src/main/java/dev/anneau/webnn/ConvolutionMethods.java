package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ConvolutionMethods {

    /** {@code conv2d} */
    default MLOperand conv2d(MLOperand input, MLOperand filter, MLConv2dOptions options) {
        throw new NotSupportedError("conv2d is not implemented yet");
    }

    default MLOperand conv2d(MLOperand input, MLOperand filter) { return conv2d(input, filter, null); }

    /** {@code convTranspose2d} */
    default MLOperand convTranspose2d(MLOperand input, MLOperand filter, MLConvTranspose2dOptions options) {
        throw new NotSupportedError("convTranspose2d is not implemented yet");
    }

    default MLOperand convTranspose2d(MLOperand input, MLOperand filter) { return convTranspose2d(input, filter, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
