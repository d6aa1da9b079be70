package dev.anneau.webnn;

/**
 * The WebNN {@code MLGruOptions} dictionary: gru options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code bias} (optional)</li>
 * <li>{@code recurrentBias} (optional)</li>
 * <li>{@code initialHiddenState} (optional)</li>
 * <li>{@code resetAfter} (default true)</li>
 * <li>{@code returnSequence} (default false)</li>
 * <li>{@code direction} (default forward)</li>
 * <li>{@code layout} (default zrn)</li>
 * <li>{@code activations} (default [sigmoid, tanh])</li>
 * </ul>
 */
public record MLGruOptions(MLOperand bias, MLOperand recurrentBias, MLOperand initialHiddenState, Boolean resetAfter, Boolean returnSequence, MLRecurrentNetworkDirection direction, MLGruWeightLayout layout, java.util.List<MLRecurrentNetworkActivation> activations, String label) implements MLOptions {
    /** All defaults. */
    public MLGruOptions() { this(null, null, null, null, null, null, null, null, null); }

    public MLGruOptions withBias(MLOperand value) { return new MLGruOptions(value, recurrentBias, initialHiddenState, resetAfter, returnSequence, direction, layout, activations, label); }

    public MLGruOptions withRecurrentBias(MLOperand value) { return new MLGruOptions(bias, value, initialHiddenState, resetAfter, returnSequence, direction, layout, activations, label); }

    public MLGruOptions withInitialHiddenState(MLOperand value) { return new MLGruOptions(bias, recurrentBias, value, resetAfter, returnSequence, direction, layout, activations, label); }

    public MLGruOptions withResetAfter(Boolean value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, value, returnSequence, direction, layout, activations, label); }

    public MLGruOptions withReturnSequence(Boolean value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, resetAfter, value, direction, layout, activations, label); }

    public MLGruOptions withDirection(MLRecurrentNetworkDirection value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, resetAfter, returnSequence, value, layout, activations, label); }

    public MLGruOptions withLayout(MLGruWeightLayout value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, resetAfter, returnSequence, direction, value, activations, label); }

    public MLGruOptions withActivations(java.util.List<MLRecurrentNetworkActivation> value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, resetAfter, returnSequence, direction, layout, value, label); }

    public MLGruOptions withLabel(String value) { return new MLGruOptions(bias, recurrentBias, initialHiddenState, resetAfter, returnSequence, direction, layout, activations, value); }
}
