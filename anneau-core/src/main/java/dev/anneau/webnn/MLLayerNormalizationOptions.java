package dev.anneau.webnn;

/**
 * The WebNN {@code MLLayerNormalizationOptions} dictionary: layerNormalization options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code scale} (optional)</li>
 * <li>{@code bias} (optional)</li>
 * <li>{@code axes} (default [1..rank-1])</li>
 * <li>{@code epsilon} (default 1e-5)</li>
 * </ul>
 */
public record MLLayerNormalizationOptions(MLOperand scale, MLOperand bias, int[] axes, Double epsilon, String label) implements MLOptions {
    /** All defaults. */
    public MLLayerNormalizationOptions() { this(null, null, null, null, null); }

    public MLLayerNormalizationOptions withScale(MLOperand value) { return new MLLayerNormalizationOptions(value, bias, axes, epsilon, label); }

    public MLLayerNormalizationOptions withBias(MLOperand value) { return new MLLayerNormalizationOptions(scale, value, axes, epsilon, label); }

    public MLLayerNormalizationOptions withAxes(int... value) { return new MLLayerNormalizationOptions(scale, bias, value, epsilon, label); }

    public MLLayerNormalizationOptions withEpsilon(Double value) { return new MLLayerNormalizationOptions(scale, bias, axes, value, label); }

    public MLLayerNormalizationOptions withLabel(String value) { return new MLLayerNormalizationOptions(scale, bias, axes, epsilon, value); }
}
