package dev.anneau.webnn;

import java.util.Set;

/** The WebNN {@code MLDataTypeLimits}/{@code MLTensorLimits}: data types and a rank range. */
public record MLTensorLimits(Set<MLOperandDataType> dataType, MLRankRange rankRange) {
    public MLTensorLimits {
        dataType = Set.copyOf(dataType);
    }

    public boolean supports(MLOperandDataType t, int rank) {
        return dataType.contains(t) && rank >= rankRange.min() && rank <= rankRange.max();
    }

    /** The WebNN {@code MLRankRange}. */
    public record MLRankRange(int min, int max) {}
}
