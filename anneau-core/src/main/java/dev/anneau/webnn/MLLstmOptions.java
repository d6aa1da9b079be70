package dev.anneau.webnn;

/**
 * The WebNN {@code MLLstmOptions} dictionary: lstm options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code bias} (optional)</li>
 * <li>{@code recurrentBias} (optional)</li>
 * <li>{@code peepholeWeight} (optional)</li>
 * <li>{@code initialHiddenState} (optional)</li>
 * <li>{@code initialCellState} (optional)</li>
 * <li>{@code returnSequence} (default false)</li>
 * <li>{@code direction} (default forward)</li>
 * <li>{@code layout} (default iofg)</li>
 * <li>{@code activations} (default [sigmoid, tanh, tanh])</li>
 * </ul>
 */
public record MLLstmOptions(MLOperand bias, MLOperand recurrentBias, MLOperand peepholeWeight, MLOperand initialHiddenState, MLOperand initialCellState, Boolean returnSequence, MLRecurrentNetworkDirection direction, MLLstmWeightLayout layout, java.util.List<MLRecurrentNetworkActivation> activations, String label) implements MLOptions {
    /** All defaults. */
    public MLLstmOptions() { this(null, null, null, null, null, null, null, null, null, null); }

    public MLLstmOptions withBias(MLOperand value) { return new MLLstmOptions(value, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, returnSequence, direction, layout, activations, label); }

    public MLLstmOptions withRecurrentBias(MLOperand value) { return new MLLstmOptions(bias, value, peepholeWeight, initialHiddenState, initialCellState, returnSequence, direction, layout, activations, label); }

    public MLLstmOptions withPeepholeWeight(MLOperand value) { return new MLLstmOptions(bias, recurrentBias, value, initialHiddenState, initialCellState, returnSequence, direction, layout, activations, label); }

    public MLLstmOptions withInitialHiddenState(MLOperand value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, value, initialCellState, returnSequence, direction, layout, activations, label); }

    public MLLstmOptions withInitialCellState(MLOperand value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, value, returnSequence, direction, layout, activations, label); }

    public MLLstmOptions withReturnSequence(Boolean value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, value, direction, layout, activations, label); }

    public MLLstmOptions withDirection(MLRecurrentNetworkDirection value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, returnSequence, value, layout, activations, label); }

    public MLLstmOptions withLayout(MLLstmWeightLayout value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, returnSequence, direction, value, activations, label); }

    public MLLstmOptions withActivations(java.util.List<MLRecurrentNetworkActivation> value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, returnSequence, direction, layout, value, label); }

    public MLLstmOptions withLabel(String value) { return new MLLstmOptions(bias, recurrentBias, peepholeWeight, initialHiddenState, initialCellState, returnSequence, direction, layout, activations, value); }
}
