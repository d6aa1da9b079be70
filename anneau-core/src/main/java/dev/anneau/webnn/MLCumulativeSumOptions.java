package dev.anneau.webnn;

/**
 * The WebNN {@code MLCumulativeSumOptions} dictionary: cumulativeSum options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code exclusive} (default false)</li>
 * <li>{@code reversed} (default false)</li>
 * </ul>
 */
public record MLCumulativeSumOptions(Boolean exclusive, Boolean reversed, String label) implements MLOptions {
    /** All defaults. */
    public MLCumulativeSumOptions() { this(null, null, null); }

    public MLCumulativeSumOptions withExclusive(Boolean value) { return new MLCumulativeSumOptions(value, reversed, label); }

    public MLCumulativeSumOptions withReversed(Boolean value) { return new MLCumulativeSumOptions(exclusive, value, label); }

    public MLCumulativeSumOptions withLabel(String value) { return new MLCumulativeSumOptions(exclusive, reversed, value); }
}
