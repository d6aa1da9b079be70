package dev.anneau.webnn;

/**
 * The WebNN {@code MLReverseOptions} dictionary: reverse options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code axes} (default all axes)</li>
 * </ul>
 */
public record MLReverseOptions(int[] axes, String label) implements MLOptions {
    /** All defaults. */
    public MLReverseOptions() { this(null, null); }

    public MLReverseOptions withAxes(int... value) { return new MLReverseOptions(value, label); }

    public MLReverseOptions withLabel(String value) { return new MLReverseOptions(axes, value); }
}
