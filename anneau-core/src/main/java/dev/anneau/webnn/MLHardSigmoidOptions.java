package dev.anneau.webnn;

/**
 * The WebNN {@code MLHardSigmoidOptions} dictionary: hardSigmoid options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code alpha} (default 0.2)</li>
 * <li>{@code beta} (default 0.5)</li>
 * </ul>
 */
public record MLHardSigmoidOptions(Double alpha, Double beta, String label) implements MLOptions {
    /** All defaults. */
    public MLHardSigmoidOptions() { this(null, null, null); }

    public MLHardSigmoidOptions withAlpha(Double value) { return new MLHardSigmoidOptions(value, beta, label); }

    public MLHardSigmoidOptions withBeta(Double value) { return new MLHardSigmoidOptions(alpha, value, label); }

    public MLHardSigmoidOptions withLabel(String value) { return new MLHardSigmoidOptions(alpha, beta, value); }
}
