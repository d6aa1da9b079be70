package dev.anneau.webnn;

/**
 * The WebNN {@code MLLstmCellOptions} dictionary: lstmCell options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code bias} (optional)</li>
 * <li>{@code recurrentBias} (optional)</li>
 * <li>{@code peepholeWeight} (optional)</li>
 * <li>{@code layout} (default iofg)</li>
 * <li>{@code activations} (default [sigmoid, tanh, tanh])</li>
 * </ul>
 */
public record MLLstmCellOptions(MLOperand bias, MLOperand recurrentBias, MLOperand peepholeWeight, MLLstmWeightLayout layout, java.util.List<MLRecurrentNetworkActivation> activations, String label) implements MLOptions {
    /** All defaults. */
    public MLLstmCellOptions() { this(null, null, null, null, null, null); }

    public MLLstmCellOptions withBias(MLOperand value) { return new MLLstmCellOptions(value, recurrentBias, peepholeWeight, layout, activations, label); }

    public MLLstmCellOptions withRecurrentBias(MLOperand value) { return new MLLstmCellOptions(bias, value, peepholeWeight, layout, activations, label); }

    public MLLstmCellOptions withPeepholeWeight(MLOperand value) { return new MLLstmCellOptions(bias, recurrentBias, value, layout, activations, label); }

    public MLLstmCellOptions withLayout(MLLstmWeightLayout value) { return new MLLstmCellOptions(bias, recurrentBias, peepholeWeight, value, activations, label); }

    public MLLstmCellOptions withActivations(java.util.List<MLRecurrentNetworkActivation> value) { return new MLLstmCellOptions(bias, recurrentBias, peepholeWeight, layout, value, label); }

    public MLLstmCellOptions withLabel(String value) { return new MLLstmCellOptions(bias, recurrentBias, peepholeWeight, layout, activations, value); }
}
