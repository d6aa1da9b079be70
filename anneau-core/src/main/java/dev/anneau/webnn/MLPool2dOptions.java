package dev.anneau.webnn;

/**
 * The WebNN {@code MLPool2dOptions} dictionary: averagePool2d/l2Pool2d/maxPool2d options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code windowDimensions} (default the whole spatial input)</li>
 * <li>{@code padding} (default [0,0,0,0])</li>
 * <li>{@code strides} (default [1,1])</li>
 * <li>{@code dilations} (default [1,1])</li>
 * <li>{@code layout} (default nchw)</li>
 * <li>{@code outputShapeRounding} (default floor)</li>
 * <li>{@code outputSizes} (optional)</li>
 * </ul>
 */
public record MLPool2dOptions(int[] windowDimensions, int[] padding, int[] strides, int[] dilations, MLInputOperandLayout layout, MLRoundingType outputShapeRounding, int[] outputSizes, String label) implements MLOptions {
    /** All defaults. */
    public MLPool2dOptions() { this(null, null, null, null, null, null, null, null); }

    public MLPool2dOptions withWindowDimensions(int... value) { return new MLPool2dOptions(value, padding, strides, dilations, layout, outputShapeRounding, outputSizes, label); }

    public MLPool2dOptions withPadding(int... value) { return new MLPool2dOptions(windowDimensions, value, strides, dilations, layout, outputShapeRounding, outputSizes, label); }

    public MLPool2dOptions withStrides(int... value) { return new MLPool2dOptions(windowDimensions, padding, value, dilations, layout, outputShapeRounding, outputSizes, label); }

    public MLPool2dOptions withDilations(int... value) { return new MLPool2dOptions(windowDimensions, padding, strides, value, layout, outputShapeRounding, outputSizes, label); }

    public MLPool2dOptions withLayout(MLInputOperandLayout value) { return new MLPool2dOptions(windowDimensions, padding, strides, dilations, value, outputShapeRounding, outputSizes, label); }

    public MLPool2dOptions withOutputShapeRounding(MLRoundingType value) { return new MLPool2dOptions(windowDimensions, padding, strides, dilations, layout, value, outputSizes, label); }

    public MLPool2dOptions withOutputSizes(int... value) { return new MLPool2dOptions(windowDimensions, padding, strides, dilations, layout, outputShapeRounding, value, label); }

    public MLPool2dOptions withLabel(String value) { return new MLPool2dOptions(windowDimensions, padding, strides, dilations, layout, outputShapeRounding, outputSizes, value); }
}
