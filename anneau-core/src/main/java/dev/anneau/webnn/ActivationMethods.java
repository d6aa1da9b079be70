package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.ops.ActivationOps;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ActivationMethods {

    /** {@code clamp} */
    default MLOperand clamp(MLOperand input, MLClampOptions options) {
        throw new NotSupportedError("clamp is not implemented yet");
    }

    default MLOperand clamp(MLOperand input) { return clamp(input, null); }

    /** {@code elu} */
    default MLOperand elu(MLOperand input, MLEluOptions options) {
        throw new NotSupportedError("elu is not implemented yet");
    }

    default MLOperand elu(MLOperand input) { return elu(input, null); }

    /** {@code gelu} */
    default MLOperand gelu(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("gelu is not implemented yet");
    }

    default MLOperand gelu(MLOperand input) { return gelu(input, null); }

    /** {@code hardSigmoid} */
    default MLOperand hardSigmoid(MLOperand input, MLHardSigmoidOptions options) {
        throw new NotSupportedError("hardSigmoid is not implemented yet");
    }

    default MLOperand hardSigmoid(MLOperand input) { return hardSigmoid(input, null); }

    /** {@code hardSwish} */
    default MLOperand hardSwish(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("hardSwish is not implemented yet");
    }

    default MLOperand hardSwish(MLOperand input) { return hardSwish(input, null); }

    /** {@code leakyRelu} */
    default MLOperand leakyRelu(MLOperand input, MLLeakyReluOptions options) {
        throw new NotSupportedError("leakyRelu is not implemented yet");
    }

    default MLOperand leakyRelu(MLOperand input) { return leakyRelu(input, null); }

    /** {@code linear} */
    default MLOperand linear(MLOperand input, MLLinearOptions options) {
        throw new NotSupportedError("linear is not implemented yet");
    }

    default MLOperand linear(MLOperand input) { return linear(input, null); }

    /** {@code prelu} */
    default MLOperand prelu(MLOperand input, MLOperand slope, MLOperatorOptions options) {
        throw new NotSupportedError("prelu is not implemented yet");
    }

    default MLOperand prelu(MLOperand input, MLOperand slope) { return prelu(input, slope, null); }

    /** {@code relu} */
    default MLOperand relu(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("relu", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand relu(MLOperand input) { return relu(input, null); }

    /** {@code sigmoid} */
    default MLOperand sigmoid(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("sigmoid is not implemented yet");
    }

    default MLOperand sigmoid(MLOperand input) { return sigmoid(input, null); }

    /** {@code softmax}: Softmax along axis. */
    default MLOperand softmax(MLOperand input, int axis, MLOperatorOptions options) {
        throw new NotSupportedError("softmax is not implemented yet");
    }

    default MLOperand softmax(MLOperand input, int axis) { return softmax(input, axis, null); }

    /** {@code softplus} */
    default MLOperand softplus(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("softplus is not implemented yet");
    }

    default MLOperand softplus(MLOperand input) { return softplus(input, null); }

    /** {@code softsign} */
    default MLOperand softsign(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("softsign is not implemented yet");
    }

    default MLOperand softsign(MLOperand input) { return softsign(input, null); }

    /** {@code tanh} */
    default MLOperand tanh(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("tanh is not implemented yet");
    }

    default MLOperand tanh(MLOperand input) { return tanh(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
