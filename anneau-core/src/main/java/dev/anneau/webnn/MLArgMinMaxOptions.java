package dev.anneau.webnn;

/**
 * The WebNN {@code MLArgMinMaxOptions} dictionary: argMin/argMax options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code keepDimensions} (default false)</li>
 * <li>{@code outputDataType} (default int32)</li>
 * </ul>
 */
public record MLArgMinMaxOptions(Boolean keepDimensions, MLOperandDataType outputDataType, String label) implements MLOptions {
    /** All defaults. */
    public MLArgMinMaxOptions() { this(null, null, null); }

    public MLArgMinMaxOptions withKeepDimensions(Boolean value) { return new MLArgMinMaxOptions(value, outputDataType, label); }

    public MLArgMinMaxOptions withOutputDataType(MLOperandDataType value) { return new MLArgMinMaxOptions(keepDimensions, value, label); }

    public MLArgMinMaxOptions withLabel(String value) { return new MLArgMinMaxOptions(keepDimensions, outputDataType, value); }
}
