package dev.anneau.webnn;

/**
 * The WebNN {@code MLPadOptions} dictionary: pad options; value is an MLNumber. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code mode} (default constant)</li>
 * <li>{@code value} (default 0)</li>
 * </ul>
 */
public record MLPadOptions(MLPaddingMode mode, Number value, String label) implements MLOptions {
    /** All defaults. */
    public MLPadOptions() { this(null, null, null); }

    public MLPadOptions withMode(MLPaddingMode v) { return new MLPadOptions(v, value, label); }

    public MLPadOptions withValue(Number v) { return new MLPadOptions(mode, v, label); }

    public MLPadOptions withLabel(String v) { return new MLPadOptions(mode, value, v); }
}
