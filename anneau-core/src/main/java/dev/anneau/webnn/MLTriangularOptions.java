package dev.anneau.webnn;

/**
 * The WebNN {@code MLTriangularOptions} dictionary: triangular options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code upper} (default true)</li>
 * <li>{@code diagonal} (default 0)</li>
 * </ul>
 */
public record MLTriangularOptions(Boolean upper, Integer diagonal, String label) implements MLOptions {
    /** All defaults. */
    public MLTriangularOptions() { this(null, null, null); }

    public MLTriangularOptions withUpper(Boolean value) { return new MLTriangularOptions(value, diagonal, label); }

    public MLTriangularOptions withDiagonal(Integer value) { return new MLTriangularOptions(upper, value, label); }

    public MLTriangularOptions withLabel(String value) { return new MLTriangularOptions(upper, diagonal, value); }
}
