package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.MLOperandDataType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Operator name to lowering, with the data types the lowering is known to run correctly on
 * ONNX Runtime's CPU EP (what {@code opSupportLimits()} reports; everything else is refused at
 * {@code build()} with NotSupportedError rather than silently sent elsewhere).
 */
public final class LoweringRegistry {
    /** One registered lowering; {@code perOperand} overrides {@code types} for named operands. */
    public record Entry(Lowering lowering, Set<MLOperandDataType> types, Map<String, Set<MLOperandDataType>> perOperand) {
        public Set<MLOperandDataType> typesFor(String operand) {
            Set<MLOperandDataType> s = perOperand.get(operand);
            return s != null ? s : types;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    public LoweringRegistry register(String operator, Set<MLOperandDataType> types, Lowering lowering) {
        return register(operator, types, Map.of(), lowering);
    }

    public LoweringRegistry register(String operator, Set<MLOperandDataType> types,
                                     Map<String, Set<MLOperandDataType>> perOperand, Lowering lowering) {
        if (entries.put(operator, new Entry(lowering, Set.copyOf(types), Map.copyOf(perOperand))) != null) {
            throw new IllegalStateException("two lowerings for " + operator);
        }
        return this;
    }

    public Entry get(String operator) { return entries.get(operator); }

    public Map<String, Entry> all() { return Collections.unmodifiableMap(entries); }

    public static final Set<MLOperandDataType> FLOATS = EnumSet.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16);
    public static final Set<MLOperandDataType> ALL = EnumSet.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16,
            MLOperandDataType.INT32, MLOperandDataType.UINT32, MLOperandDataType.INT64, MLOperandDataType.UINT64,
            MLOperandDataType.INT8, MLOperandDataType.UINT8);

    /** Every family. */
    public static LoweringRegistry standard() {
        LoweringRegistry r = new LoweringRegistry();
        ElementwiseLowering.register(r);
        ActivationLowering.register(r);
        ReductionLowering.register(r);
        NormalizationLowering.register(r);
        ConvolutionLowering.register(r);
        PoolingLowering.register(r);
        MatrixLowering.register(r);
        ShapeLowering.register(r);
        RecurrentLowering.register(r);
        QuantizationLowering.register(r);
        return r;
    }
}
