package dev.anneau.webnn;

/**
 * The WebNN {@code MLEluOptions} dictionary: elu options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code alpha} (default 1)</li>
 * </ul>
 */
public record MLEluOptions(Double alpha, String label) implements MLOptions {
    /** All defaults. */
    public MLEluOptions() { this(null, null); }

    public MLEluOptions withAlpha(Double value) { return new MLEluOptions(value, label); }

    public MLEluOptions withLabel(String value) { return new MLEluOptions(alpha, value); }
}
