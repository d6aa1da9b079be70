package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.util.Set;

/**
 * What one backend supports, on top of what the spec allows. The builder rejects, with a
 * TypeError, an operand whose data type or rank the context's backend does not support, and
 * {@code MLContext.opSupportLimits()} is computed from the same answers.
 */
public interface OpSupport {

    /** Data types the backend accepts for one operand of one operator ({@code "input"}, {@code "constant"}, {@code "output"} for graph I/O). */
    Set<MLOperandDataType> dataTypes(String operator, String operand);

    /** Largest rank the backend accepts anywhere. */
    default int maxRank() { return OperatorLimits.MAX_RANK; }

    /** Largest byte length of one tensor. */
    default long maxTensorByteLength() { return Integer.MAX_VALUE; }

    /** Preferred layout for conv/pool inputs: "nchw" or "nhwc". */
    default String preferredInputLayout() { return "nchw"; }

    /** Supports everything the spec allows (int4/uint4 included where the spec says "any"). */
    static OpSupport everythingTheSpecAllows() {
        return (operator, operand) -> SpecSupport.allowed(operator, operand);
    }

    /**
     * A backend's support: every data type for graph inputs, constants and outputs, and for each
     * operator operand what the spec allows intersected with {@code backendTypes} (null there
     * means the backend lacks the operator).
     */
    static OpSupport specAllowedWithin(java.util.function.BiFunction<String, String, Set<MLOperandDataType>> backendTypes) {
        return (operator, operand) -> {
            if (operator.equals("input") || operator.equals("constant") || operator.equals("output")) {
                return java.util.EnumSet.allOf(MLOperandDataType.class);
            }
            Set<MLOperandDataType> backend = backendTypes.apply(operator, operand);
            Set<MLOperandDataType> allowed = java.util.EnumSet.noneOf(MLOperandDataType.class);
            if (backend == null) return allowed;
            allowed.addAll(SpecSupport.allowed(operator, operand));
            allowed.retainAll(backend);
            return allowed;
        };
    }
}
