package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface QuantizationMethods {

    /** {@code quantizeLinear} */
    default MLOperand quantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions options) {
        throw new NotSupportedError("quantizeLinear is not implemented yet");
    }

    default MLOperand quantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint) { return quantizeLinear(input, scale, zeroPoint, null); }

    /** {@code dequantizeLinear} */
    default MLOperand dequantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions options) {
        throw new NotSupportedError("dequantizeLinear is not implemented yet");
    }

    default MLOperand dequantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint) { return dequantizeLinear(input, scale, zeroPoint, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
