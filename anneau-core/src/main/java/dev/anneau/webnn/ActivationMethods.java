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
        MLGraphBuilder b = self();
        OpCheck check = b.begin("clamp", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.Clamp attrs = ActivationOps.clamp(check, in,
                options == null ? null : options.minValue(), options == null ? null : options.maxValue());
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand clamp(MLOperand input) { return clamp(input, null); }

    /** {@code elu} */
    default MLOperand elu(MLOperand input, MLEluOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("elu", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.Alpha attrs = ActivationOps.alpha(check, options == null ? null : options.alpha(), 1.0, in.dataType());
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand elu(MLOperand input) { return elu(input, null); }

    /** {@code gelu} */
    default MLOperand gelu(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("gelu", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand gelu(MLOperand input) { return gelu(input, null); }

    /** {@code hardSigmoid} */
    default MLOperand hardSigmoid(MLOperand input, MLHardSigmoidOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("hardSigmoid", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.AlphaBeta attrs = ActivationOps.alphaBeta(check, options == null ? null : options.alpha(), 0.2,
                options == null ? null : options.beta(), 0.5, in.dataType());
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand hardSigmoid(MLOperand input) { return hardSigmoid(input, null); }

    /** {@code hardSwish} */
    default MLOperand hardSwish(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("hardSwish", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand hardSwish(MLOperand input) { return hardSwish(input, null); }

    /** {@code leakyRelu} */
    default MLOperand leakyRelu(MLOperand input, MLLeakyReluOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("leakyRelu", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.Alpha attrs = ActivationOps.alpha(check, options == null ? null : options.alpha(), 0.01, in.dataType());
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand leakyRelu(MLOperand input) { return leakyRelu(input, null); }

    /** {@code linear} */
    default MLOperand linear(MLOperand input, MLLinearOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("linear", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.AlphaBeta attrs = ActivationOps.alphaBeta(check, options == null ? null : options.alpha(), 1.0,
                options == null ? null : options.beta(), 0.0, in.dataType());
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand linear(MLOperand input) { return linear(input, null); }

    /** {@code prelu} */
    default MLOperand prelu(MLOperand input, MLOperand slope, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("prelu", options);
        TensorType in = b.use(check, "input", input);
        TensorType sl = b.use(check, "slope", slope);
        TensorType out = ActivationOps.prelu(check, in, sl);
        return b.emit(check, null, List.of(input, slope), out)[0];
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
        MLGraphBuilder b = self();
        OpCheck check = b.begin("sigmoid", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand sigmoid(MLOperand input) { return sigmoid(input, null); }

    /** {@code softmax}: Softmax along axis. */
    default MLOperand softmax(MLOperand input, int axis, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("softmax", options);
        TensorType in = b.use(check, "input", input);
        ActivationOps.Softmax attrs = ActivationOps.softmax(check, in, axis);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, attrs, List.of(input), out)[0];
    }

    default MLOperand softmax(MLOperand input, int axis) { return softmax(input, axis, null); }


    /** {@code softplus} */
    default MLOperand softplus(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("softplus", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand softplus(MLOperand input) { return softplus(input, null); }

    /** {@code softsign} */
    default MLOperand softsign(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("softsign", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand softsign(MLOperand input) { return softsign(input, null); }

    /** {@code tanh} */
    default MLOperand tanh(MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("tanh", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ActivationOps.elementwise(check, in);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand tanh(MLOperand input) { return tanh(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
