package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLBatchNormalizationOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInstanceNormalizationOptions;
import dev.anneau.webnn.MLLayerNormalizationOptions;
import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;

/**
 * Validation and shape inference of the normalization family: batchNormalization
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-batchnorm), instanceNormalization
 * (#api-mlgraphbuilder-instancenorm) and layerNormalization (#api-mlgraphbuilder-layernorm).
 * Data types and ranks of each operand were checked against the spec table by {@link OpCheck#operand}
 * (scale, bias, mean and variance must have the input's data type).
 */
public final class NormalizationOps {
    private NormalizationOps() {}

    public static final double DEFAULT_EPSILON = 1e-5;

    /**
     * Attributes of batchNormalization. {@code epsilon} is already cast to the input's data type,
     * as the spec's steps require. Operation inputs: input, mean, variance, scale (or null), bias (or null).
     */
    public record BatchNormalization(int axis, double epsilon) {}

    /**
     * Attributes of instanceNormalization; {@code epsilon} already cast to the input's data type.
     * Operation inputs: input, scale (or null), bias (or null).
     */
    public record InstanceNormalization(double epsilon, MLInputOperandLayout layout) {
        /** The feature (channel) axis: 1 for nchw, 3 for nhwc. */
        public int channelAxis() { return layout == MLInputOperandLayout.NHWC ? 3 : 1; }
    }

    /**
     * Attributes of layerNormalization: the axes in the caller's order (scale/bias dimension i
     * is input dimension {@code axes[i]}), and epsilon already cast to the input's data type.
     * Operation inputs: input, scale (or null), bias (or null).
     */
    public record LayerNormalization(int[] axes, double epsilon) {
        public LayerNormalization {
            axes = axes.clone();
        }

        @Override
        public int[] axes() { return axes.clone(); }

        @Override
        public String toString() { return "LayerNormalization[axes=" + Arrays.toString(axes) + ", epsilon=" + epsilon + "]"; }
    }

    /** "cast" of a double option to a floating-point operand type: one rounding to nearest even. */
    public static double castEpsilon(double epsilon, MLOperandDataType type) {
        return switch (type) {
            case FLOAT16 -> Numbers.halfToFloat(Numbers.doubleToHalf(epsilon));
            case FLOAT32 -> (float) epsilon;
            default -> epsilon;
        };
    }

    public static BatchNormalization batchNormalization(OpCheck check, TensorType input, TensorType mean,
                                                        TensorType variance, TensorType scale, TensorType bias,
                                                        MLBatchNormalizationOptions options) {
        long axis = options == null || options.axis() == null ? 1 : options.axis();
        int rank = input.rank();
        check.require(axis >= 0 && axis < rank, "axis (%d) must be in the range [0, %d) for an input of rank %d (shape %s)",
                axis, rank, rank, Arrays.toString(input.dims()));
        int size = input.dim((int) axis);
        requireVector(check, "mean", mean, size, axis);
        requireVector(check, "variance", variance, size, axis);
        if (scale != null) requireVector(check, "scale", scale, size, axis);
        if (bias != null) requireVector(check, "bias", bias, size, axis);
        double epsilon = options == null || options.epsilon() == null ? DEFAULT_EPSILON : options.epsilon();
        requireFinite(check, epsilon);
        return new BatchNormalization((int) axis, castEpsilon(epsilon, input.dataType()));
    }

    /** options.epsilon is a WebIDL {@code double}: NaN and the infinities are a TypeError. */
    private static void requireFinite(OpCheck check, double epsilon) {
        check.require(Double.isFinite(epsilon), "options.epsilon must be a finite number (WebIDL double), got %s", epsilon);
    }

    private static void requireVector(OpCheck check, String name, TensorType t, int size, long axis) {
        check.require(t.rank() == 1 && t.dim(0) == size,
                "%s: shape must be [%d] (the input's dimension at axis %d), got %s", name, size, axis,
                Arrays.toString(t.dims()));
    }

    public static InstanceNormalization instanceNormalization(OpCheck check, TensorType input, TensorType scale,
                                                              TensorType bias, MLInstanceNormalizationOptions options) {
        check.require(input.rank() == 4, "input: rank must be 4, got %d (shape %s)", input.rank(),
                Arrays.toString(input.dims()));
        MLInputOperandLayout layout = options == null || options.layout() == null ? MLInputOperandLayout.NCHW : options.layout();
        double epsilon = options == null || options.epsilon() == null ? DEFAULT_EPSILON : options.epsilon();
        requireFinite(check, epsilon);
        InstanceNormalization attrs = new InstanceNormalization(castEpsilon(epsilon, input.dataType()), layout);
        int axis = attrs.channelAxis();
        int size = input.dim(axis);
        if (scale != null) {
            check.require(scale.rank() == 1 && scale.dim(0) == size,
                    "scale: shape must be [%d] (the input's channel dimension, axis %d for layout %s), got %s",
                    size, axis, layout, Arrays.toString(scale.dims()));
        }
        if (bias != null) {
            check.require(bias.rank() == 1 && bias.dim(0) == size,
                    "bias: shape must be [%d] (the input's channel dimension, axis %d for layout %s), got %s",
                    size, axis, layout, Arrays.toString(bias.dims()));
        }
        return attrs;
    }

    public static LayerNormalization layerNormalization(OpCheck check, TensorType input, TensorType scale,
                                                        TensorType bias, MLLayerNormalizationOptions options) {
        int rank = input.rank();
        int[] axes;
        if (options == null || options.axes() == null) {
            axes = new int[Math.max(rank - 1, 0)];
            for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        } else {
            axes = check.axes("axes", options.axes(), rank);
        }
        double epsilon = options == null || options.epsilon() == null ? DEFAULT_EPSILON : options.epsilon();
        requireFinite(check, epsilon);
        int[] expected = new int[axes.length];
        for (int i = 0; i < axes.length; i++) expected[i] = input.dim(axes[i]);
        requireAxesShape(check, "scale", scale, expected, axes);
        requireAxesShape(check, "bias", bias, expected, axes);
        return new LayerNormalization(axes, castEpsilon(epsilon, input.dataType()));
    }

    private static void requireAxesShape(OpCheck check, String name, TensorType t, int[] expected, int[] axes) {
        if (t == null) return;
        check.require(t.rank() == axes.length, "%s: rank must be %d (the number of axes %s), got %d (shape %s)",
                name, axes.length, Arrays.toString(axes), t.rank(), Arrays.toString(t.dims()));
        check.require(Arrays.equals(t.dims(), expected),
                "%s: shape must be %s (the input's dimensions at axes %s), got %s", name, Arrays.toString(expected),
                Arrays.toString(axes), Arrays.toString(t.dims()));
    }

    /** Normalizations keep the input's type and shape. */
    public static TensorType sameAsInput(OpCheck check, TensorType input) {
        return check.output(input);
    }
}
