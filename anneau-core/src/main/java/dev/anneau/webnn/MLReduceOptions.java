package dev.anneau.webnn;

/**
 * The WebNN {@code MLReduceOptions} dictionary: reduction options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code axes} (default all axes)</li>
 * <li>{@code keepDimensions} (default false)</li>
 * </ul>
 */
public record MLReduceOptions(int[] axes, Boolean keepDimensions, String label) implements MLOptions {
    /** All defaults. */
    public MLReduceOptions() { this(null, null, null); }

    public MLReduceOptions withAxes(int... value) { return new MLReduceOptions(value, keepDimensions, label); }

    public MLReduceOptions withKeepDimensions(Boolean value) { return new MLReduceOptions(axes, value, label); }

    public MLReduceOptions withLabel(String value) { return new MLReduceOptions(axes, keepDimensions, value); }
}
