package dev.anneau.webnn;

import java.util.Map;
import java.util.Set;

/**
 * The WebNN {@code MLOpSupportLimits}: what the context's backend supports. {@link #operator}
 * answers per operator, per operand name as the spec tables name them ({@code "input"},
 * {@code "a"}, {@code "filter"}, {@code "output"}, ...).
 */
public record MLOpSupportLimits(String preferredInputLayout, long maxTensorByteLength,
                                MLTensorLimits input, MLTensorLimits constant, MLTensorLimits output,
                                Map<String, Map<String, MLTensorLimits>> operators) {
    public MLOpSupportLimits {
        operators = Map.copyOf(operators);
    }

    /** The limits of one operator's operands, or null when the backend lacks the operator. */
    public Map<String, MLTensorLimits> operator(String name) { return operators.get(name); }

    public Set<String> supportedOperators() { return operators.keySet(); }
}
