package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ReductionMethods {

    /** {@code argMin} */
    default MLOperand argMin(MLOperand input, int axis, MLArgMinMaxOptions options) {
        throw new NotSupportedError("argMin is not implemented yet");
    }

    default MLOperand argMin(MLOperand input, int axis) { return argMin(input, axis, null); }

    /** {@code argMax} */
    default MLOperand argMax(MLOperand input, int axis, MLArgMinMaxOptions options) {
        throw new NotSupportedError("argMax is not implemented yet");
    }

    default MLOperand argMax(MLOperand input, int axis) { return argMax(input, axis, null); }

    /** {@code reduceL1} */
    default MLOperand reduceL1(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceL1 is not implemented yet");
    }

    default MLOperand reduceL1(MLOperand input) { return reduceL1(input, null); }

    /** {@code reduceL2} */
    default MLOperand reduceL2(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceL2 is not implemented yet");
    }

    default MLOperand reduceL2(MLOperand input) { return reduceL2(input, null); }

    /** {@code reduceLogSum} */
    default MLOperand reduceLogSum(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceLogSum is not implemented yet");
    }

    default MLOperand reduceLogSum(MLOperand input) { return reduceLogSum(input, null); }

    /** {@code reduceLogSumExp} */
    default MLOperand reduceLogSumExp(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceLogSumExp is not implemented yet");
    }

    default MLOperand reduceLogSumExp(MLOperand input) { return reduceLogSumExp(input, null); }

    /** {@code reduceMax} */
    default MLOperand reduceMax(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceMax is not implemented yet");
    }

    default MLOperand reduceMax(MLOperand input) { return reduceMax(input, null); }

    /** {@code reduceMean} */
    default MLOperand reduceMean(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceMean is not implemented yet");
    }

    default MLOperand reduceMean(MLOperand input) { return reduceMean(input, null); }

    /** {@code reduceMin} */
    default MLOperand reduceMin(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceMin is not implemented yet");
    }

    default MLOperand reduceMin(MLOperand input) { return reduceMin(input, null); }

    /** {@code reduceProduct} */
    default MLOperand reduceProduct(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceProduct is not implemented yet");
    }

    default MLOperand reduceProduct(MLOperand input) { return reduceProduct(input, null); }

    /** {@code reduceSum} */
    default MLOperand reduceSum(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceSum is not implemented yet");
    }

    default MLOperand reduceSum(MLOperand input) { return reduceSum(input, null); }

    /** {@code reduceSumSquare} */
    default MLOperand reduceSumSquare(MLOperand input, MLReduceOptions options) {
        throw new NotSupportedError("reduceSumSquare is not implemented yet");
    }

    default MLOperand reduceSumSquare(MLOperand input) { return reduceSumSquare(input, null); }

    /** {@code cumulativeSum} */
    default MLOperand cumulativeSum(MLOperand input, int axis, MLCumulativeSumOptions options) {
        throw new NotSupportedError("cumulativeSum is not implemented yet");
    }

    default MLOperand cumulativeSum(MLOperand input, int axis) { return cumulativeSum(input, axis, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
