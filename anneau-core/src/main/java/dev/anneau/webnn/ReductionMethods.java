package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.ReductionOps;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ReductionMethods {

    /** {@code argMin} */
    default MLOperand argMin(MLOperand input, int axis, MLArgMinMaxOptions options) {
        return argMinMax("argMin", input, axis, options);
    }

    default MLOperand argMin(MLOperand input, int axis) { return argMin(input, axis, null); }

    /** {@code argMax} */
    default MLOperand argMax(MLOperand input, int axis, MLArgMinMaxOptions options) {
        return argMinMax("argMax", input, axis, options);
    }

    default MLOperand argMax(MLOperand input, int axis) { return argMax(input, axis, null); }

    /** {@code reduceL1} */
    default MLOperand reduceL1(MLOperand input, MLReduceOptions options) {
        return reduction("reduceL1", input, options);
    }

    default MLOperand reduceL1(MLOperand input) { return reduceL1(input, null); }

    /** {@code reduceL2} */
    default MLOperand reduceL2(MLOperand input, MLReduceOptions options) {
        return reduction("reduceL2", input, options);
    }

    default MLOperand reduceL2(MLOperand input) { return reduceL2(input, null); }

    /** {@code reduceLogSum} */
    default MLOperand reduceLogSum(MLOperand input, MLReduceOptions options) {
        return reduction("reduceLogSum", input, options);
    }

    default MLOperand reduceLogSum(MLOperand input) { return reduceLogSum(input, null); }

    /** {@code reduceLogSumExp} */
    default MLOperand reduceLogSumExp(MLOperand input, MLReduceOptions options) {
        return reduction("reduceLogSumExp", input, options);
    }

    default MLOperand reduceLogSumExp(MLOperand input) { return reduceLogSumExp(input, null); }

    /** {@code reduceMax} */
    default MLOperand reduceMax(MLOperand input, MLReduceOptions options) {
        return reduction("reduceMax", input, options);
    }

    default MLOperand reduceMax(MLOperand input) { return reduceMax(input, null); }

    /** {@code reduceMean} */
    default MLOperand reduceMean(MLOperand input, MLReduceOptions options) {
        return reduction("reduceMean", input, options);
    }

    default MLOperand reduceMean(MLOperand input) { return reduceMean(input, null); }

    /** {@code reduceMin} */
    default MLOperand reduceMin(MLOperand input, MLReduceOptions options) {
        return reduction("reduceMin", input, options);
    }

    default MLOperand reduceMin(MLOperand input) { return reduceMin(input, null); }

    /** {@code reduceProduct} */
    default MLOperand reduceProduct(MLOperand input, MLReduceOptions options) {
        return reduction("reduceProduct", input, options);
    }

    default MLOperand reduceProduct(MLOperand input) { return reduceProduct(input, null); }

    /** {@code reduceSum} */
    default MLOperand reduceSum(MLOperand input, MLReduceOptions options) {
        return reduction("reduceSum", input, options);
    }

    default MLOperand reduceSum(MLOperand input) { return reduceSum(input, null); }

    /** {@code reduceSumSquare} */
    default MLOperand reduceSumSquare(MLOperand input, MLReduceOptions options) {
        return reduction("reduceSumSquare", input, options);
    }

    default MLOperand reduceSumSquare(MLOperand input) { return reduceSumSquare(input, null); }

    /** {@code cumulativeSum} */
    default MLOperand cumulativeSum(MLOperand input, int axis, MLCumulativeSumOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("cumulativeSum", options);
        TensorType in = b.use(check, "input", input);
        ReductionOps.CumulativeSum attrs = ReductionOps.cumulativeSumAttributes(check, in, axis, options);
        TensorType out = ReductionOps.cumulativeSum(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand cumulativeSum(MLOperand input, int axis) { return cumulativeSum(input, axis, null); }

    private MLOperand reduction(String operator, MLOperand input, MLReduceOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin(operator, options);
        TensorType in = b.use(check, "input", input);
        ReductionOps.Reduce attrs = ReductionOps.reduceAttributes(check, in, options);
        TensorType out = ReductionOps.reduce(check, in, attrs);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    private MLOperand argMinMax(String operator, MLOperand input, int axis, MLArgMinMaxOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin(operator, options);
        TensorType in = b.use(check, "input", input);
        ReductionOps.ArgMinMax attrs = ReductionOps.argMinMaxAttributes(check, in, axis, options);
        TensorType out = ReductionOps.argMinMax(check, in, attrs);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
