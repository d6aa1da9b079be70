package dev.anneau.webnn;

/**
 * The WebNN {@code MLLeakyReluOptions} dictionary: leakyRelu options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code alpha} (default 0.01)</li>
 * </ul>
 */
public record MLLeakyReluOptions(Double alpha, String label) implements MLOptions {
    /** All defaults. */
    public MLLeakyReluOptions() { this(null, null); }

    public MLLeakyReluOptions withAlpha(Double value) { return new MLLeakyReluOptions(value, label); }

    public MLLeakyReluOptions withLabel(String value) { return new MLLeakyReluOptions(alpha, value); }
}
