package dev.anneau.webnn;

/**
 * The WebNN {@code MLTransposeOptions} dictionary: transpose options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code permutation} (default reversed axes)</li>
 * </ul>
 */
public record MLTransposeOptions(int[] permutation, String label) implements MLOptions {
    /** All defaults. */
    public MLTransposeOptions() { this(null, null); }

    public MLTransposeOptions withPermutation(int... value) { return new MLTransposeOptions(value, label); }

    public MLTransposeOptions withLabel(String value) { return new MLTransposeOptions(permutation, value); }
}
