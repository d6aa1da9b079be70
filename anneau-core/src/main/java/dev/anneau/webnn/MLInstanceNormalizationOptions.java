package dev.anneau.webnn;

/**
 * The WebNN {@code MLInstanceNormalizationOptions} dictionary: instanceNormalization options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code scale} (optional)</li>
 * <li>{@code bias} (optional)</li>
 * <li>{@code epsilon} (default 1e-5)</li>
 * <li>{@code layout} (default nchw)</li>
 * </ul>
 */
public record MLInstanceNormalizationOptions(MLOperand scale, MLOperand bias, Double epsilon, MLInputOperandLayout layout, String label) implements MLOptions {
    /** All defaults. */
    public MLInstanceNormalizationOptions() { this(null, null, null, null, null); }

    public MLInstanceNormalizationOptions withScale(MLOperand value) { return new MLInstanceNormalizationOptions(value, bias, epsilon, layout, label); }

    public MLInstanceNormalizationOptions withBias(MLOperand value) { return new MLInstanceNormalizationOptions(scale, value, epsilon, layout, label); }

    public MLInstanceNormalizationOptions withEpsilon(Double value) { return new MLInstanceNormalizationOptions(scale, bias, value, layout, label); }

    public MLInstanceNormalizationOptions withLayout(MLInputOperandLayout value) { return new MLInstanceNormalizationOptions(scale, bias, epsilon, value, label); }

    public MLInstanceNormalizationOptions withLabel(String value) { return new MLInstanceNormalizationOptions(scale, bias, epsilon, layout, value); }
}
