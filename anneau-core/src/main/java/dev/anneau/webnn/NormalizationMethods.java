package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface NormalizationMethods {

    /** {@code batchNormalization} */
    default MLOperand batchNormalization(MLOperand input, MLOperand mean, MLOperand variance, MLBatchNormalizationOptions options) {
        throw new NotSupportedError("batchNormalization is not implemented yet");
    }

    default MLOperand batchNormalization(MLOperand input, MLOperand mean, MLOperand variance) { return batchNormalization(input, mean, variance, null); }

    /** {@code instanceNormalization} */
    default MLOperand instanceNormalization(MLOperand input, MLInstanceNormalizationOptions options) {
        throw new NotSupportedError("instanceNormalization is not implemented yet");
    }

    default MLOperand instanceNormalization(MLOperand input) { return instanceNormalization(input, null); }

    /** {@code layerNormalization} */
    default MLOperand layerNormalization(MLOperand input, MLLayerNormalizationOptions options) {
        throw new NotSupportedError("layerNormalization is not implemented yet");
    }

    default MLOperand layerNormalization(MLOperand input) { return layerNormalization(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
