package dev.anneau.webnn;

/**
 * The WebNN {@code MLSliceOptions} dictionary: slice options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code strides} (default all 1)</li>
 * </ul>
 */
public record MLSliceOptions(int[] strides, String label) implements MLOptions {
    /** All defaults. */
    public MLSliceOptions() { this(null, null); }

    public MLSliceOptions withStrides(int... value) { return new MLSliceOptions(value, label); }

    public MLSliceOptions withLabel(String value) { return new MLSliceOptions(strides, value); }
}
