package dev.anneau.webnn;

/**
 * The WebNN {@code MLOperatorOptions} dictionary: options of operators that have only a label. A null component means "not given", and the
 * spec default applies.
 */
public record MLOperatorOptions(String label) implements MLOptions {
    /** All defaults. */
    public MLOperatorOptions() { this(null); }

    public MLOperatorOptions withLabel(String value) { return new MLOperatorOptions(value); }
}
