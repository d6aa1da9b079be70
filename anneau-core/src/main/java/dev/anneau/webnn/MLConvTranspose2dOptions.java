package dev.anneau.webnn;

/**
 * The WebNN {@code MLConvTranspose2dOptions} dictionary: convTranspose2d options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code padding} (default [0,0,0,0])</li>
 * <li>{@code strides} (default [1,1])</li>
 * <li>{@code dilations} (default [1,1])</li>
 * <li>{@code outputPadding} (default [0,0])</li>
 * <li>{@code outputSizes} (optional)</li>
 * <li>{@code groups} (default 1)</li>
 * <li>{@code inputLayout} (default nchw)</li>
 * <li>{@code filterLayout} (default iohw)</li>
 * <li>{@code bias} (optional)</li>
 * </ul>
 */
public record MLConvTranspose2dOptions(int[] padding, int[] strides, int[] dilations, int[] outputPadding, int[] outputSizes, Integer groups, MLInputOperandLayout inputLayout, MLConvTranspose2dFilterOperandLayout filterLayout, MLOperand bias, String label) implements MLOptions {
    /** All defaults. */
    public MLConvTranspose2dOptions() { this(null, null, null, null, null, null, null, null, null, null); }

    public MLConvTranspose2dOptions withPadding(int... value) { return new MLConvTranspose2dOptions(value, strides, dilations, outputPadding, outputSizes, groups, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withStrides(int... value) { return new MLConvTranspose2dOptions(padding, value, dilations, outputPadding, outputSizes, groups, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withDilations(int... value) { return new MLConvTranspose2dOptions(padding, strides, value, outputPadding, outputSizes, groups, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withOutputPadding(int... value) { return new MLConvTranspose2dOptions(padding, strides, dilations, value, outputSizes, groups, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withOutputSizes(int... value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, value, groups, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withGroups(Integer value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, outputSizes, value, inputLayout, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withInputLayout(MLInputOperandLayout value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, outputSizes, groups, value, filterLayout, bias, label); }

    public MLConvTranspose2dOptions withFilterLayout(MLConvTranspose2dFilterOperandLayout value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, outputSizes, groups, inputLayout, value, bias, label); }

    public MLConvTranspose2dOptions withBias(MLOperand value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, outputSizes, groups, inputLayout, filterLayout, value, label); }

    public MLConvTranspose2dOptions withLabel(String value) { return new MLConvTranspose2dOptions(padding, strides, dilations, outputPadding, outputSizes, groups, inputLayout, filterLayout, bias, value); }
}
