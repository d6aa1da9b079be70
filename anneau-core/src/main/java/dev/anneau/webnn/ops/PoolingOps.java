package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInterpolationMode;
import dev.anneau.webnn.MLPool2dOptions;
import dev.anneau.webnn.MLResample2dOptions;
import dev.anneau.webnn.MLRoundingType;
import java.util.Arrays;

/**
 * Validation and shape inference of the pooling family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-pool2d and #api-mlgraphbuilder-resample2d-method).
 * Data types and ranks were checked against the spec table by {@link OpCheck#operand}.
 */
public final class PoolingOps {
    private PoolingOps() {}

    /**
     * Resolved geometry of averagePool2d / l2Pool2d / maxPool2d. Window, padding, strides and
     * dilations are unsigned values that may exceed an int; sizes of tensors fit an int.
     */
    public record PoolAttributes(
            MLInputOperandLayout layout,
            int batches, int channels, int inputHeight, int inputWidth,
            int outputHeight, int outputWidth,
            long windowHeight, long windowWidth,
            long padTop, long padBottom, long padLeft, long padRight,
            long strideHeight, long strideWidth,
            long dilationHeight, long dilationWidth) {}

    /** Common validation of the three pooling operators; returns the output type and fills {@code attributes[0]}. */
    public static TensorType pool2d(OpCheck check, TensorType input, MLPool2dOptions options,
                                    PoolAttributes[] attributes) {
        MLPool2dOptions o = options == null ? new MLPool2dOptions() : options;
        MLInputOperandLayout layout = o.layout() == null ? MLInputOperandLayout.NCHW : o.layout();
        int[] in = input.dims();
        int[] ax = Spatial2d.axes(layout);
        long batches = in[0], channels = in[ax[0]], inputHeight = in[ax[1]], inputWidth = in[ax[2]];
        long[] window = Spatial2d.list(check, "windowDimensions", o.windowDimensions(), inputHeight, inputWidth);
        Spatial2d.requireNonZero(check, "windowDimensions", window);
        long[] padding = Spatial2d.list(check, "padding", o.padding(), 0, 0, 0, 0);
        long[] strides = Spatial2d.list(check, "strides", o.strides(), 1, 1);
        Spatial2d.requireNonZero(check, "strides", strides);
        long[] outputSizes = null;
        if (o.outputSizes() != null) {
            outputSizes = Spatial2d.list(check, "outputSizes", o.outputSizes(), 0, 0);
            Spatial2d.requireNonZero(check, "outputSizes", outputSizes);
        }
        long[] dilations = Spatial2d.list(check, "dilations", o.dilations(), 1, 1);
        Spatial2d.requireNonZero(check, "dilations", dilations);

        long effH = Spatial2d.effectiveSize(check, "window height", window[0], dilations[0]);
        long effW = Spatial2d.effectiveSize(check, "window width", window[1], dilations[1]);
        long floorH = Spatial2d.convOutputSize(inputHeight, effH, padding[0], padding[1], strides[0], false);
        long floorW = Spatial2d.convOutputSize(inputWidth, effW, padding[2], padding[3], strides[1], false);
        long ceilH = Spatial2d.convOutputSize(inputHeight, effH, padding[0], padding[1], strides[0], true);
        long ceilW = Spatial2d.convOutputSize(inputWidth, effW, padding[2], padding[3], strides[1], true);
        long outH, outW;
        if (outputSizes != null) {
            outH = outputSizes[0];
            outW = outputSizes[1];
            check.require((outH == floorH && outW == floorW) || (outH == ceilH && outW == ceilW),
                    "outputSizes %s must be the rounded-down [%d, %d] or the rounded-up [%d, %d] output size "
                            + "(input %dx%d, window %s, padding %s, strides %s, dilations %s)",
                    Arrays.toString(outputSizes), floorH, floorW, ceilH, ceilW, inputHeight, inputWidth,
                    Arrays.toString(window), Arrays.toString(padding), Arrays.toString(strides),
                    Arrays.toString(dilations));
        } else {
            boolean ceil = o.outputShapeRounding() == MLRoundingType.CEIL;
            outH = ceil ? ceilH : floorH;
            outW = ceil ? ceilW : floorW;
        }
        Spatial2d.requireValidDimension(check, "output height", outH, String.format(
                "input height %d, effective window height %d, padding %d + %d, stride %d; "
                        + "the window must fit in the padded input",
                inputHeight, effH, padding[0], padding[1], strides[0]));
        Spatial2d.requireValidDimension(check, "output width", outW, String.format(
                "input width %d, effective window width %d, padding %d + %d, stride %d; "
                        + "the window must fit in the padded input",
                inputWidth, effW, padding[2], padding[3], strides[1]));
        TensorType out = check.output(input.dataType(), Spatial2d.shape(layout, batches, channels, outH, outW));
        attributes[0] = new PoolAttributes(layout, (int) batches, (int) channels, (int) inputHeight, (int) inputWidth,
                (int) outH, (int) outW, window[0], window[1], padding[0], padding[1], padding[2], padding[3],
                strides[0], strides[1], dilations[0], dilations[1]);
        return out;
    }

    /**
     * Resolved resample2d: the two resized axes (in the order given), the output sizes along them
     * and the scales used by the coordinate transform (output/input when {@code sizes} was given).
     */
    public record ResampleAttributes(MLInterpolationMode mode, int[] axes, double[] scales, int[] inputShape,
                                     int[] outputShape) {}

    public static TensorType resample2d(OpCheck check, TensorType input, MLResample2dOptions options,
                                        ResampleAttributes[] attributes) {
        MLResample2dOptions o = options == null ? new MLResample2dOptions() : options;
        MLInterpolationMode mode = o.mode() == null ? MLInterpolationMode.NEAREST_NEIGHBOR : o.mode();
        double[] scales = {1.0, 1.0};
        if (o.scales() != null) {
            float[] s = o.scales();
            check.require(s.length == 2, "scales must have 2 values, got %d (%s)", s.length, Arrays.toString(s));
            for (int i = 0; i < 2; i++) {
                check.require(s[i] > 0 && Float.isFinite(s[i]), "scales[%d] must be a finite number greater than 0, got %s",
                        i, s[i]);
                scales[i] = s[i];
            }
        }
        long[] sizes = null;
        if (o.sizes() != null) {
            sizes = Spatial2d.list(check, "sizes", o.sizes(), 0, 0);
            Spatial2d.requireNonZero(check, "sizes", sizes);
        }
        int[] axes = {2, 3};
        if (o.axes() != null) {
            int[] a = o.axes();
            check.require(a.length == 2, "axes must have 2 values, got %d (%s)", a.length, Arrays.toString(a));
            axes = check.axes("axes", a, input.rank());
        }
        int[] inShape = input.dims();
        long[] outShape = input.longShape();
        double[] effectiveScales = new double[2];
        for (int i = 0; i < 2; i++) {
            long inSize = inShape[axes[i]];
            long size;
            if (sizes != null) {
                size = sizes[i];
                effectiveScales[i] = (double) size / inSize;
            } else {
                double product = Math.floor(inSize * scales[i]);
                size = product > Spatial2d.MAX_DIMENSION ? Spatial2d.MAX_DIMENSION + 1 : (long) product;
                effectiveScales[i] = scales[i];
            }
            Spatial2d.requireValidDimension(check, "output size along axis " + axes[i], size, sizes != null ? null
                    : String.format("floor(input size %d * scale %s); use a %s scale", inSize, (float) scales[i],
                            size < 1 ? "larger" : "smaller"));
            outShape[axes[i]] = size;
        }
        TensorType out = check.output(input.dataType(), outShape);
        attributes[0] = new ResampleAttributes(mode, axes, effectiveScales, inShape, out.dims());
        return out;
    }
}
