package dev.anneau.webnn;

/**
 * The WebNN {@code MLScatterOptions} dictionary: scatterElements options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code axis} (default 0)</li>
 * </ul>
 */
public record MLScatterOptions(Integer axis, String label) implements MLOptions {
    /** All defaults. */
    public MLScatterOptions() { this(null, null); }

    public MLScatterOptions withAxis(Integer value) { return new MLScatterOptions(value, label); }

    public MLScatterOptions withLabel(String value) { return new MLScatterOptions(axis, value); }
}
