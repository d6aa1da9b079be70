package dev.anneau.webnn.ops;

/**
 * Validation and shape inference of the activation family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-relu-method and its neighbours).
 * Data types and ranks were checked against the spec table by {@link OpCheck#operand}.
 */
public final class ActivationOps {
    private ActivationOps() {}

    /** Activations that keep the input's type and shape. */
    public static TensorType elementwise(OpCheck check, TensorType input) {
        return check.output(input);
    }
}
