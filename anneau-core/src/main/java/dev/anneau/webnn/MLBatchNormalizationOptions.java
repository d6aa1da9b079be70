package dev.anneau.webnn;

/**
 * The WebNN {@code MLBatchNormalizationOptions} dictionary: batchNormalization options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code scale} (optional)</li>
 * <li>{@code bias} (optional)</li>
 * <li>{@code axis} (default 1)</li>
 * <li>{@code epsilon} (default 1e-5)</li>
 * </ul>
 */
public record MLBatchNormalizationOptions(MLOperand scale, MLOperand bias, Integer axis, Double epsilon, String label) implements MLOptions {
    /** All defaults. */
    public MLBatchNormalizationOptions() { this(null, null, null, null, null); }

    public MLBatchNormalizationOptions withScale(MLOperand value) { return new MLBatchNormalizationOptions(value, bias, axis, epsilon, label); }

    public MLBatchNormalizationOptions withBias(MLOperand value) { return new MLBatchNormalizationOptions(scale, value, axis, epsilon, label); }

    public MLBatchNormalizationOptions withAxis(Integer value) { return new MLBatchNormalizationOptions(scale, bias, value, epsilon, label); }

    public MLBatchNormalizationOptions withEpsilon(Double value) { return new MLBatchNormalizationOptions(scale, bias, axis, value, label); }

    public MLBatchNormalizationOptions withLabel(String value) { return new MLBatchNormalizationOptions(scale, bias, axis, epsilon, value); }
}
