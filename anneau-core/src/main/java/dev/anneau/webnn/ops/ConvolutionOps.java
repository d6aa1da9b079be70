package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLConv2dFilterOperandLayout;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLConvTranspose2dFilterOperandLayout;
import dev.anneau.webnn.MLConvTranspose2dOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import java.util.Arrays;

/**
 * Validation and shape inference of the convolution family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-conv2d and #api-mlgraphbuilder-convtranspose2d).
 * Data types and ranks were checked against the spec table by {@link OpCheck#operand}.
 */
public final class ConvolutionOps {
    private ConvolutionOps() {}

    /**
     * Resolved geometry of a conv2d or convTranspose2d: every spec default applied, the layouts
     * decoded into logical sizes. Kernels read this; they never look at the options again.
     * {@code filterInputChannels}/{@code filterOutputChannels} are the per-group sizes stored in
     * the filter (conv2d: filter input channels = inputChannels / groups; convTranspose2d: filter
     * output channels = outputChannels / groups).
     */
    public record ConvAttributes(
            boolean transposed,
            MLInputOperandLayout inputLayout,
            String filterLayout,
            int batches, int inputChannels, int inputHeight, int inputWidth,
            int outputChannels, int outputHeight, int outputWidth,
            int filterHeight, int filterWidth, int filterInputChannels, int filterOutputChannels,
            int groups,
            long padTop, long padBottom, long padLeft, long padRight,
            long strideHeight, long strideWidth,
            long dilationHeight, long dilationWidth,
            boolean hasBias) {

        public int inputChannelsPerGroup() { return inputChannels / groups; }

        public int outputChannelsPerGroup() { return outputChannels / groups; }
    }

    /** conv2d: returns the output type and fills {@code attributes[0]}. */
    public static TensorType conv2d(OpCheck check, TensorType input, TensorType filter, TensorType bias,
                                    MLConv2dOptions options, ConvAttributes[] attributes) {
        MLConv2dOptions o = options == null ? new MLConv2dOptions() : options;
        long[] padding = Spatial2d.list(check, "padding", o.padding(), 0, 0, 0, 0);
        long[] strides = Spatial2d.list(check, "strides", o.strides(), 1, 1);
        Spatial2d.requireNonZero(check, "strides", strides);
        long[] dilations = Spatial2d.list(check, "dilations", o.dilations(), 1, 1);
        Spatial2d.requireNonZero(check, "dilations", dilations);
        long groups = o.groups() == null ? 1 : Spatial2d.unsigned(o.groups());
        check.require(groups != 0, "groups must be at least 1, got 0");
        MLInputOperandLayout inputLayout = o.inputLayout() == null ? MLInputOperandLayout.NCHW : o.inputLayout();
        MLConv2dFilterOperandLayout filterLayout = o.filterLayout() == null ? MLConv2dFilterOperandLayout.OIHW
                : o.filterLayout();

        int[] in = input.dims();
        int[] ax = Spatial2d.axes(inputLayout);
        long batches = in[0], inputChannels = in[ax[0]], inputHeight = in[ax[1]], inputWidth = in[ax[2]];
        int[] f = filter.dims();
        long outputChannels, filterInputChannels, filterHeight, filterWidth;
        switch (filterLayout) {
            case HWIO -> { filterHeight = f[0]; filterWidth = f[1]; filterInputChannels = f[2]; outputChannels = f[3]; }
            case OHWI -> { outputChannels = f[0]; filterHeight = f[1]; filterWidth = f[2]; filterInputChannels = f[3]; }
            case IHWO -> { filterInputChannels = f[0]; filterHeight = f[1]; filterWidth = f[2]; outputChannels = f[3]; }
            default -> { outputChannels = f[0]; filterInputChannels = f[1]; filterHeight = f[2]; filterWidth = f[3]; }
        }
        String shapes = " (input " + Arrays.toString(in) + " " + inputLayout + ", filter " + Arrays.toString(f) + " "
                + filterLayout + ")";
        check.require(inputChannels % groups == 0,
                "input channels (%d) must be divisible by groups (%d)%s", inputChannels, groups, shapes);
        check.require(inputChannels / groups == filterInputChannels,
                "the filter's input channels (%d) must equal input channels / groups (%d / %d = %d)%s",
                filterInputChannels, inputChannels, groups, inputChannels / groups, shapes);
        check.require(outputChannels % groups == 0,
                "the filter's output channels (%d) must be divisible by groups (%d)%s", outputChannels, groups, shapes);
        requireBias(check, bias, outputChannels, filterLayout.specName());

        long effH = Spatial2d.effectiveSize(check, "filter height", filterHeight, dilations[0]);
        long effW = Spatial2d.effectiveSize(check, "filter width", filterWidth, dilations[1]);
        long outH = Spatial2d.convOutputSize(inputHeight, effH, padding[0], padding[1], strides[0], false);
        long outW = Spatial2d.convOutputSize(inputWidth, effW, padding[2], padding[3], strides[1], false);
        Spatial2d.requireValidDimension(check, "output height", outH, String.format(
                "1 + (input height %d - effective filter height %d (filter %d, dilation %d) + padding %d + %d)"
                        + " / stride %d; use more padding, a smaller dilation or a smaller filter",
                inputHeight, effH, filterHeight, dilations[0], padding[0], padding[1], strides[0]));
        Spatial2d.requireValidDimension(check, "output width", outW, String.format(
                "1 + (input width %d - effective filter width %d (filter %d, dilation %d) + padding %d + %d)"
                        + " / stride %d; use more padding, a smaller dilation or a smaller filter",
                inputWidth, effW, filterWidth, dilations[1], padding[2], padding[3], strides[1]));
        TensorType out = check.output(input.dataType(),
                Spatial2d.shape(inputLayout, batches, outputChannels, outH, outW));
        attributes[0] = new ConvAttributes(false, inputLayout, filterLayout.specName(),
                (int) batches, (int) inputChannels, (int) inputHeight, (int) inputWidth,
                (int) outputChannels, (int) outH, (int) outW, (int) filterHeight, (int) filterWidth,
                (int) filterInputChannels, (int) (outputChannels / groups), (int) groups,
                padding[0], padding[1], padding[2], padding[3], strides[0], strides[1], dilations[0], dilations[1],
                bias != null);
        return out;
    }

    /** convTranspose2d: returns the output type and fills {@code attributes[0]}. */
    public static TensorType convTranspose2d(OpCheck check, TensorType input, TensorType filter, TensorType bias,
                                             MLConvTranspose2dOptions options, ConvAttributes[] attributes) {
        MLConvTranspose2dOptions o = options == null ? new MLConvTranspose2dOptions() : options;
        long[] padding = Spatial2d.list(check, "padding", o.padding(), 0, 0, 0, 0);
        long[] strides = Spatial2d.list(check, "strides", o.strides(), 1, 1);
        Spatial2d.requireNonZero(check, "strides", strides);
        long[] dilations = Spatial2d.list(check, "dilations", o.dilations(), 1, 1);
        Spatial2d.requireNonZero(check, "dilations", dilations);
        long[] outputPadding = Spatial2d.list(check, "outputPadding", o.outputPadding(), 0, 0);
        long[] outputSizes = null;
        if (o.outputSizes() != null) {
            outputSizes = Spatial2d.list(check, "outputSizes", o.outputSizes(), 0, 0);
            Spatial2d.requireNonZero(check, "outputSizes", outputSizes);
        } else {
            check.require(outputPadding[0] < strides[0] && outputPadding[1] < strides[1],
                    "outputPadding %s must be smaller than strides %s in each dimension",
                    Arrays.toString(outputPadding), Arrays.toString(strides));
        }
        long groups = o.groups() == null ? 1 : Spatial2d.unsigned(o.groups());
        check.require(groups != 0, "groups must be at least 1, got 0");
        MLInputOperandLayout inputLayout = o.inputLayout() == null ? MLInputOperandLayout.NCHW : o.inputLayout();
        MLConvTranspose2dFilterOperandLayout filterLayout = o.filterLayout() == null
                ? MLConvTranspose2dFilterOperandLayout.IOHW : o.filterLayout();

        int[] in = input.dims();
        int[] ax = Spatial2d.axes(inputLayout);
        long batches = in[0], inputChannels = in[ax[0]], inputHeight = in[ax[1]], inputWidth = in[ax[2]];
        int[] f = filter.dims();
        long filterInputChannels, filterOutputChannels, filterHeight, filterWidth;
        switch (filterLayout) {
            case HWOI -> { filterHeight = f[0]; filterWidth = f[1]; filterOutputChannels = f[2]; filterInputChannels = f[3]; }
            case OHWI -> { filterOutputChannels = f[0]; filterHeight = f[1]; filterWidth = f[2]; filterInputChannels = f[3]; }
            default -> { filterInputChannels = f[0]; filterOutputChannels = f[1]; filterHeight = f[2]; filterWidth = f[3]; }
        }
        String shapes = " (input " + Arrays.toString(in) + " " + inputLayout + ", filter " + Arrays.toString(f) + " "
                + filterLayout + ")";
        check.require(inputChannels == filterInputChannels,
                "the filter's input channels (%d) must equal the input channels (%d)%s", filterInputChannels,
                inputChannels, shapes);
        long outputChannels = filterOutputChannels * groups; // both < 2^32: no overflow
        Spatial2d.requireValidDimension(check, "output channels", outputChannels,
                "filter output channels " + filterOutputChannels + " * groups " + groups);
        requireBias(check, bias, outputChannels, filterLayout.specName());

        long effH = Spatial2d.effectiveSize(check, "filter height", filterHeight, dilations[0]);
        long effW = Spatial2d.effectiveSize(check, "filter width", filterWidth, dilations[1]);
        long calcH = Spatial2d.convTransposeOutputSize(check, "height", inputHeight, effH, padding[0], padding[1], strides[0]);
        long calcW = Spatial2d.convTransposeOutputSize(check, "width", inputWidth, effW, padding[2], padding[3], strides[1]);
        long outH, outW;
        if (outputSizes != null) {
            outH = outputSizes[0];
            outW = outputSizes[1];
            check.require(outH >= calcH && outH < calcH + strides[0],
                    "outputSizes[0] (%d) must be in [%d, %d) (the computed output height and that plus strides[0])",
                    outH, calcH, calcH + strides[0]);
            check.require(outW >= calcW && outW < calcW + strides[1],
                    "outputSizes[1] (%d) must be in [%d, %d) (the computed output width and that plus strides[1])",
                    outW, calcW, calcW + strides[1]);
        } else {
            outH = calcH + outputPadding[0];
            outW = calcW + outputPadding[1];
        }
        Spatial2d.requireValidDimension(check, "output height", outH, String.format(
                "(input height %d - 1) * stride %d + effective filter height %d (filter %d, dilation %d)"
                        + " - padding %d - %d + outputPadding %d; use less padding",
                inputHeight, strides[0], effH, filterHeight, dilations[0], padding[0], padding[1], outputSizes == null ? outputPadding[0] : 0));
        Spatial2d.requireValidDimension(check, "output width", outW, String.format(
                "(input width %d - 1) * stride %d + effective filter width %d (filter %d, dilation %d)"
                        + " - padding %d - %d + outputPadding %d; use less padding",
                inputWidth, strides[1], effW, filterWidth, dilations[1], padding[2], padding[3], outputSizes == null ? outputPadding[1] : 0));
        TensorType out = check.output(input.dataType(),
                Spatial2d.shape(inputLayout, batches, outputChannels, outH, outW));
        attributes[0] = new ConvAttributes(true, inputLayout, filterLayout.specName(),
                (int) batches, (int) inputChannels, (int) inputHeight, (int) inputWidth,
                (int) outputChannels, (int) outH, (int) outW, (int) filterHeight, (int) filterWidth,
                (int) (inputChannels / groups), (int) filterOutputChannels, (int) groups,
                padding[0], padding[1], padding[2], padding[3], strides[0], strides[1], dilations[0], dilations[1],
                bias != null);
        return out;
    }

    private static void requireBias(OpCheck check, TensorType bias, long outputChannels, String filterLayout) {
        if (bias == null) return;
        check.require(bias.rank() == 1 && bias.dim(0) == outputChannels,
                "bias: shape must be [%d] (the output channels of the %s filter), got %s", outputChannels,
                filterLayout, Arrays.toString(bias.dims()));
    }
}
