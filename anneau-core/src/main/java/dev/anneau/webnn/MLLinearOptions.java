package dev.anneau.webnn;

/**
 * The WebNN {@code MLLinearOptions} dictionary: linear options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code alpha} (default 1)</li>
 * <li>{@code beta} (default 0)</li>
 * </ul>
 */
public record MLLinearOptions(Double alpha, Double beta, String label) implements MLOptions {
    /** All defaults. */
    public MLLinearOptions() { this(null, null, null); }

    public MLLinearOptions withAlpha(Double value) { return new MLLinearOptions(value, beta, label); }

    public MLLinearOptions withBeta(Double value) { return new MLLinearOptions(alpha, value, label); }

    public MLLinearOptions withLabel(String value) { return new MLLinearOptions(alpha, beta, value); }
}
