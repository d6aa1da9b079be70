package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.ops.PoolingOps;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface PoolingMethods {

    /** {@code averagePool2d} */
    default MLOperand averagePool2d(MLOperand input, MLPool2dOptions options) {
        return pool2d("averagePool2d", input, options);
    }

    default MLOperand averagePool2d(MLOperand input) { return averagePool2d(input, null); }

    /** {@code l2Pool2d} */
    default MLOperand l2Pool2d(MLOperand input, MLPool2dOptions options) {
        return pool2d("l2Pool2d", input, options);
    }

    default MLOperand l2Pool2d(MLOperand input) { return l2Pool2d(input, null); }

    /** {@code maxPool2d} */
    default MLOperand maxPool2d(MLOperand input, MLPool2dOptions options) {
        return pool2d("maxPool2d", input, options);
    }

    default MLOperand maxPool2d(MLOperand input) { return maxPool2d(input, null); }

    /** {@code resample2d}: Resizes the two spatial axes (options.axes). */
    default MLOperand resample2d(MLOperand input, MLResample2dOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("resample2d", options);
        TensorType in = b.use(check, "input", input);
        PoolingOps.ResampleAttributes[] attributes = new PoolingOps.ResampleAttributes[1];
        TensorType out = PoolingOps.resample2d(check, in, options, attributes);
        return b.emit(check, attributes[0], List.of(input), out)[0];
    }

    default MLOperand resample2d(MLOperand input) { return resample2d(input, null); }

    private MLOperand pool2d(String operator, MLOperand input, MLPool2dOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin(operator, options);
        TensorType in = b.use(check, "input", input);
        PoolingOps.PoolAttributes[] attributes = new PoolingOps.PoolAttributes[1];
        TensorType out = PoolingOps.pool2d(check, in, options, attributes);
        return b.emit(check, attributes[0], List.of(input), out)[0];
    }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
