package dev.anneau.webnn;

/**
 * The WebNN {@code MLGatherOptions} dictionary: gather/gatherElements options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code axis} (default 0)</li>
 * </ul>
 */
public record MLGatherOptions(Integer axis, String label) implements MLOptions {
    /** All defaults. */
    public MLGatherOptions() { this(null, null); }

    public MLGatherOptions withAxis(Integer value) { return new MLGatherOptions(value, label); }

    public MLGatherOptions withLabel(String value) { return new MLGatherOptions(axis, value); }
}
