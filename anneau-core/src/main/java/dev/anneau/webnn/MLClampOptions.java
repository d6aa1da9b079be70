package dev.anneau.webnn;

/**
 * The WebNN {@code MLClampOptions} dictionary: clamp options; bounds are MLNumber: a Double, Long or BigInteger. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code minValue} (default -Infinity)</li>
 * <li>{@code maxValue} (default +Infinity)</li>
 * </ul>
 */
public record MLClampOptions(Number minValue, Number maxValue, String label) implements MLOptions {
    /** All defaults. */
    public MLClampOptions() { this(null, null, null); }

    public MLClampOptions withMinValue(Number value) { return new MLClampOptions(value, maxValue, label); }

    public MLClampOptions withMaxValue(Number value) { return new MLClampOptions(minValue, value, label); }

    public MLClampOptions withLabel(String value) { return new MLClampOptions(minValue, maxValue, value); }
}
