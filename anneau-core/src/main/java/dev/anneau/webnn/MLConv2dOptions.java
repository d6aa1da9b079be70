package dev.anneau.webnn;

/**
 * The WebNN {@code MLConv2dOptions} dictionary: conv2d options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code padding} (default [0,0,0,0])</li>
 * <li>{@code strides} (default [1,1])</li>
 * <li>{@code dilations} (default [1,1])</li>
 * <li>{@code groups} (default 1)</li>
 * <li>{@code inputLayout} (default nchw)</li>
 * <li>{@code filterLayout} (default oihw)</li>
 * <li>{@code bias} (optional)</li>
 * </ul>
 */
public record MLConv2dOptions(int[] padding, int[] strides, int[] dilations, Integer groups, MLInputOperandLayout inputLayout, MLConv2dFilterOperandLayout filterLayout, MLOperand bias, String label) implements MLOptions {
    /** All defaults. */
    public MLConv2dOptions() { this(null, null, null, null, null, null, null, null); }

    public MLConv2dOptions withPadding(int... value) { return new MLConv2dOptions(value, strides, dilations, groups, inputLayout, filterLayout, bias, label); }

    public MLConv2dOptions withStrides(int... value) { return new MLConv2dOptions(padding, value, dilations, groups, inputLayout, filterLayout, bias, label); }

    public MLConv2dOptions withDilations(int... value) { return new MLConv2dOptions(padding, strides, value, groups, inputLayout, filterLayout, bias, label); }

    public MLConv2dOptions withGroups(Integer value) { return new MLConv2dOptions(padding, strides, dilations, value, inputLayout, filterLayout, bias, label); }

    public MLConv2dOptions withInputLayout(MLInputOperandLayout value) { return new MLConv2dOptions(padding, strides, dilations, groups, value, filterLayout, bias, label); }

    public MLConv2dOptions withFilterLayout(MLConv2dFilterOperandLayout value) { return new MLConv2dOptions(padding, strides, dilations, groups, inputLayout, value, bias, label); }

    public MLConv2dOptions withBias(MLOperand value) { return new MLConv2dOptions(padding, strides, dilations, groups, inputLayout, filterLayout, value, label); }

    public MLConv2dOptions withLabel(String value) { return new MLConv2dOptions(padding, strides, dilations, groups, inputLayout, filterLayout, bias, value); }
}
