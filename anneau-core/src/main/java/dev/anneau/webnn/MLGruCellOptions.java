package dev.anneau.webnn;

/**
 * The WebNN {@code MLGruCellOptions} dictionary: gruCell options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code bias} (optional)</li>
 * <li>{@code recurrentBias} (optional)</li>
 * <li>{@code resetAfter} (default true)</li>
 * <li>{@code layout} (default zrn)</li>
 * <li>{@code activations} (default [sigmoid, tanh])</li>
 * </ul>
 */
public record MLGruCellOptions(MLOperand bias, MLOperand recurrentBias, Boolean resetAfter, MLGruWeightLayout layout, java.util.List<MLRecurrentNetworkActivation> activations, String label) implements MLOptions {
    /** All defaults. */
    public MLGruCellOptions() { this(null, null, null, null, null, null); }

    public MLGruCellOptions withBias(MLOperand value) { return new MLGruCellOptions(value, recurrentBias, resetAfter, layout, activations, label); }

    public MLGruCellOptions withRecurrentBias(MLOperand value) { return new MLGruCellOptions(bias, value, resetAfter, layout, activations, label); }

    public MLGruCellOptions withResetAfter(Boolean value) { return new MLGruCellOptions(bias, recurrentBias, value, layout, activations, label); }

    public MLGruCellOptions withLayout(MLGruWeightLayout value) { return new MLGruCellOptions(bias, recurrentBias, resetAfter, value, activations, label); }

    public MLGruCellOptions withActivations(java.util.List<MLRecurrentNetworkActivation> value) { return new MLGruCellOptions(bias, recurrentBias, resetAfter, layout, value, label); }

    public MLGruCellOptions withLabel(String value) { return new MLGruCellOptions(bias, recurrentBias, resetAfter, layout, activations, value); }
}
