package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.ops.ConvolutionOps;
import java.util.Arrays;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ConvolutionMethods {

    /** {@code conv2d} */
    default MLOperand conv2d(MLOperand input, MLOperand filter, MLConv2dOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("conv2d", options);
        TensorType in = b.use(check, "input", input);
        TensorType f = b.use(check, "filter", filter);
        MLOperand biasOperand = options == null ? null : options.bias();
        TensorType bias = b.useOptional(check, "bias", biasOperand);
        ConvolutionOps.ConvAttributes[] attributes = new ConvolutionOps.ConvAttributes[1];
        TensorType out = ConvolutionOps.conv2d(check, in, f, bias, options, attributes);
        return b.emit(check, attributes[0], Arrays.asList(input, filter, biasOperand), out)[0];
    }

    default MLOperand conv2d(MLOperand input, MLOperand filter) { return conv2d(input, filter, null); }

    /** {@code convTranspose2d} */
    default MLOperand convTranspose2d(MLOperand input, MLOperand filter, MLConvTranspose2dOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("convTranspose2d", options);
        TensorType in = b.use(check, "input", input);
        TensorType f = b.use(check, "filter", filter);
        MLOperand biasOperand = options == null ? null : options.bias();
        TensorType bias = b.useOptional(check, "bias", biasOperand);
        ConvolutionOps.ConvAttributes[] attributes = new ConvolutionOps.ConvAttributes[1];
        TensorType out = ConvolutionOps.convTranspose2d(check, in, f, bias, options, attributes);
        return b.emit(check, attributes[0], Arrays.asList(input, filter, biasOperand), out)[0];
    }

    default MLOperand convTranspose2d(MLOperand input, MLOperand filter) { return convTranspose2d(input, filter, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
