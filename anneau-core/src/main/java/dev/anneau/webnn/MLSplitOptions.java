package dev.anneau.webnn;

/**
 * The WebNN {@code MLSplitOptions} dictionary: split options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code axis} (default 0)</li>
 * </ul>
 */
public record MLSplitOptions(Integer axis, String label) implements MLOptions {
    /** All defaults. */
    public MLSplitOptions() { this(null, null); }

    public MLSplitOptions withAxis(Integer value) { return new MLSplitOptions(value, label); }

    public MLSplitOptions withLabel(String value) { return new MLSplitOptions(axis, value); }
}
