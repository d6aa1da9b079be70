package dev.anneau.webnn;

import dev.anneau.webnn.ops.NormalizationOps;
import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.Arrays;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface NormalizationMethods {

    /** {@code batchNormalization} */
    default MLOperand batchNormalization(MLOperand input, MLOperand mean, MLOperand variance, MLBatchNormalizationOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("batchNormalization", options);
        MLOperand scaleOp = options == null ? null : options.scale();
        MLOperand biasOp = options == null ? null : options.bias();
        TensorType in = b.use(check, "input", input);
        TensorType m = b.use(check, "mean", mean);
        TensorType v = b.use(check, "variance", variance);
        TensorType scale = b.useOptional(check, "scale", scaleOp);
        TensorType bias = b.useOptional(check, "bias", biasOp);
        NormalizationOps.BatchNormalization attrs = NormalizationOps.batchNormalization(check, in, m, v, scale, bias, options);
        TensorType out = NormalizationOps.sameAsInput(check, in);
        return b.emit(check, attrs, Arrays.asList(input, mean, variance, scaleOp, biasOp), out)[0];
    }

    default MLOperand batchNormalization(MLOperand input, MLOperand mean, MLOperand variance) { return batchNormalization(input, mean, variance, null); }

    /** {@code instanceNormalization} */
    default MLOperand instanceNormalization(MLOperand input, MLInstanceNormalizationOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("instanceNormalization", options);
        MLOperand scaleOp = options == null ? null : options.scale();
        MLOperand biasOp = options == null ? null : options.bias();
        TensorType in = b.use(check, "input", input);
        TensorType scale = b.useOptional(check, "scale", scaleOp);
        TensorType bias = b.useOptional(check, "bias", biasOp);
        NormalizationOps.InstanceNormalization attrs = NormalizationOps.instanceNormalization(check, in, scale, bias, options);
        TensorType out = NormalizationOps.sameAsInput(check, in);
        return b.emit(check, attrs, Arrays.asList(input, scaleOp, biasOp), out)[0];
    }

    default MLOperand instanceNormalization(MLOperand input) { return instanceNormalization(input, null); }

    /** {@code layerNormalization} */
    default MLOperand layerNormalization(MLOperand input, MLLayerNormalizationOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("layerNormalization", options);
        MLOperand scaleOp = options == null ? null : options.scale();
        MLOperand biasOp = options == null ? null : options.bias();
        TensorType in = b.use(check, "input", input);
        TensorType scale = b.useOptional(check, "scale", scaleOp);
        TensorType bias = b.useOptional(check, "bias", biasOp);
        NormalizationOps.LayerNormalization attrs = NormalizationOps.layerNormalization(check, in, scale, bias, options);
        TensorType out = NormalizationOps.sameAsInput(check, in);
        return b.emit(check, attrs, Arrays.asList(input, scaleOp, biasOp), out)[0];
    }

    default MLOperand layerNormalization(MLOperand input) { return layerNormalization(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
