package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.QuantizationOps;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface QuantizationMethods {

    /** {@code quantizeLinear}: {@code saturate(roundEven(input / scale) + zeroPoint)}, scale and zeroPoint blockwise broadcast. */
    default MLOperand quantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("quantizeLinear", options);
        TensorType out = quantization(b, check, input, scale, zeroPoint, false);
        return b.emit(check, null, List.of(input, scale, zeroPoint), out)[0];
    }

    default MLOperand quantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint) { return quantizeLinear(input, scale, zeroPoint, null); }

    /** {@code dequantizeLinear}: {@code (input - zeroPoint) * scale}, scale and zeroPoint blockwise broadcast. */
    default MLOperand dequantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("dequantizeLinear", options);
        TensorType out = quantization(b, check, input, scale, zeroPoint, true);
        return b.emit(check, null, List.of(input, scale, zeroPoint), out)[0];
    }

    default MLOperand dequantizeLinear(MLOperand input, MLOperand scale, MLOperand zeroPoint) { return dequantizeLinear(input, scale, zeroPoint, null); }

    /** The checks both operators share; the output takes the scale's (dequantize) or zero point's (quantize) data type. */
    private static TensorType quantization(MLGraphBuilder b, OpCheck check, MLOperand input, MLOperand scale, MLOperand zeroPoint,
                                           boolean dequantize) {
        b.requireMember(check, "input", input);
        b.requireMember(check, "scale", scale);
        b.requireMember(check, "zeroPoint", zeroPoint);
        TensorType in = b.use(check, "input", input);
        // the table asks for the input's rank; a lower rank is read with leading 1s (see QuantizationOps)
        TensorType s = scale.type(), zp = zeroPoint.type();
        TensorType sAligned = QuantizationOps.alignedToRank(s, in.rank());
        TensorType zpAligned = QuantizationOps.alignedToRank(zp, in.rank());
        check.operand("scale", sAligned == null ? s : sAligned);
        check.operand("zeroPoint", zpAligned == null ? zp : zpAligned);
        int[] dims = QuantizationOps.blockwiseShape(check, in, s, zp);
        return check.output(dequantize ? s.dataType() : zp.dataType(), dims);
    }
    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
