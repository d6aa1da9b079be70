package dev.anneau.backend.ort.lowering;

import static dev.anneau.webnn.MLOperandDataType.FLOAT32;

import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.NormalizationOps;
import java.util.Arrays;

/**
 * ONNX lowerings of the normalization family (see {@code dev.anneau.webnn.NormalizationMethods}),
 * float32 and float16 (decompositions widen float16 to float32 and round the result once; ORT
 * computes its float16 normalization operators in float32 too):
 * <ul>
 * <li>batchNormalization (any rank, any axis): decomposed as
 *     {@code (x - mean) * (scale / sqrt(variance + epsilon)) + bias}, the per-channel vectors
 *     reshaped to broadcast along {@code axis} (the per-channel factor is folded by ORT when the
 *     statistics are constants).</li>
 * <li>instanceNormalization: ONNX InstanceNormalization (NCHW; an nhwc input is transposed to
 *     nchw and back); absent scale/bias become ones/zeros.</li>
 * <li>layerNormalization: in double, rounded once to the output type: ONNX LayerNormalization
 *     when the axes are exactly the trailing dimensions (in any order: scale and bias are
 *     transposed to ascending axis order and become ORT constants when they are); otherwise
 *     decomposed into ReduceMean of x, ReduceMean of the squared deviation,
 *     {@code (x - mean) / sqrt(var + epsilon) * scale + bias}. Empty axes normalize each element
 *     by itself.</li>
 * </ul>
 * Precision: ORT's InstanceNormalization keeps its statistics in float32 where the CPU backend
 * uses double. For ordinary data this is a few ULP; for groups whose mean dwarfs their spread
 * (1000 + 0.01 k) the float32 rounding shows, up to about 1e-3 relative in the tests (WPT allows
 * instanceNormalization 840 ULP). ORT's float32 LayerNormalization has the same loss and WPT
 * allows layerNormalization only 14 ULP (51 were seen for a mean 250 times the spread), hence
 * double there. batchNormalization takes x - mean first and so has no such loss.
 */
public final class NormalizationLowering {
    private NormalizationLowering() {}

    public static void register(LoweringRegistry registry) {
        registry.register("batchNormalization", LoweringRegistry.FLOATS, NormalizationLowering::batchNormalization);
        registry.register("instanceNormalization", LoweringRegistry.FLOATS, NormalizationLowering::instanceNormalization);
        registry.register("layerNormalization", LoweringRegistry.FLOATS, NormalizationLowering::layerNormalization);
    }

    // ------------------------------------------------------------------ batchNormalization

    /** Inputs: input, mean, variance, scale (or null), bias (or null). */
    private static void batchNormalization(Operation op, LoweringContext cx) {
        NormalizationOps.BatchNormalization attrs = op.attributes(NormalizationOps.BatchNormalization.class);
        MLOperand input = op.input(0);
        MLOperandDataType t = input.dataType();
        int rank = input.type().rank();
        int axis = attrs.axis();
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[axis] = input.type().dims()[axis];
        String newShape = cx.int64s(shape);
        String mean = cx.apply("Reshape", wide(cx, op.input(1)), newShape);
        String var = cx.apply("Reshape", wide(cx, op.input(2)), newShape);
        String factor = cx.apply("Reciprocal", cx.apply("Sqrt", cx.apply("Add", var, cx.scalar(FLOAT32, attrs.epsilon()))));
        if (op.input(3) != null) factor = cx.apply("Mul", cx.apply("Reshape", wide(cx, op.input(3)), newShape), factor);
        String y = cx.apply("Mul", cx.apply("Sub", wide(cx, input), mean), factor);
        if (op.input(4) != null) y = cx.apply("Add", y, cx.apply("Reshape", wide(cx, op.input(4)), newShape));
        narrow(cx, y, t, cx.outputName(op.output(0)));
    }

    /** An operand's value in float32 (float16 is widened exactly: decompositions compute in float32 and round once). */
    static String wide(LoweringContext cx, MLOperand operand) {
        String v = cx.value(operand);
        return operand.dataType() == FLOAT32 ? v : cx.cast(v, FLOAT32);
    }

    static String wide(LoweringContext cx, String v, MLOperandDataType t) {
        return t == FLOAT32 ? v : cx.cast(v, FLOAT32);
    }

    /** Writes a float32 value to {@code out} in type {@code t}. */
    static void narrow(LoweringContext cx, String v, MLOperandDataType t, String out) {
        if (t == FLOAT32) cx.op("Identity", v).out(out);
        else cx.op("Cast", v).attr("to", OnnxTypes.of(t).getNumber()).out(out);
    }

    // ------------------------------------------------------------------ instanceNormalization

    /** Inputs: input, scale (or null), bias (or null). */
    private static void instanceNormalization(Operation op, LoweringContext cx) {
        NormalizationOps.InstanceNormalization attrs = op.attributes(NormalizationOps.InstanceNormalization.class);
        MLOperand input = op.input(0);
        MLOperandDataType t = input.dataType();
        boolean nhwc = attrs.layout() == MLInputOperandLayout.NHWC;
        int channels = input.type().dims()[attrs.channelAxis()];
        String x = cx.value(input);
        if (nhwc) x = cx.op("Transpose", x).attr("perm", new long[] {0, 3, 1, 2}).out();
        String scale = op.input(1) != null ? cx.value(op.input(1)) : filled(cx, t, channels, 1);
        String bias = op.input(2) != null ? cx.value(op.input(2)) : filled(cx, t, channels, 0);
        String out = cx.outputName(op.output(0));
        if (nhwc) {
            String y = cx.op("InstanceNormalization", x, scale, bias).attr("epsilon", (float) attrs.epsilon()).out();
            cx.op("Transpose", y).attr("perm", new long[] {0, 2, 3, 1}).out(out);
        } else {
            cx.op("InstanceNormalization", x, scale, bias).attr("epsilon", (float) attrs.epsilon()).out(out);
        }
    }

    /** A 1-D constant of {@code n} copies of {@code v}. */
    static String filled(LoweringContext cx, MLOperandDataType t, int n, double v) {
        return cx.apply("Expand", cx.scalar(t, v), cx.int64s((long) n));
    }

    // ------------------------------------------------------------------ layerNormalization

    /** Inputs: input, scale (or null), bias (or null); scale/bias dimension i is input dimension axes[i]. */
    private static void layerNormalization(Operation op, LoweringContext cx) {
        NormalizationOps.LayerNormalization attrs = op.attributes(NormalizationOps.LayerNormalization.class);
        MLOperand input = op.input(0);
        MLOperandDataType t = input.dataType();
        int[] dims = input.type().dims();
        int rank = dims.length;
        int[] axes = attrs.axes();
        int[] sorted = axes.clone();
        Arrays.sort(sorted);
        String x = cx.value(input);
        String out = cx.outputName(op.output(0));
        // scale/bias laid out in ascending axis order
        int[] perm = new int[axes.length];
        for (int i = 0; i < sorted.length; i++) perm[i] = indexOf(axes, sorted[i]);
        boolean ordered = Arrays.equals(axes, sorted);
        String scale = op.input(1) == null ? null : cx.value(op.input(1));
        String bias = op.input(2) == null ? null : cx.value(op.input(2));
        if (!ordered) {
            if (scale != null) scale = cx.op("Transpose", scale).attr("perm", perm).out();
            if (bias != null) bias = cx.op("Transpose", bias).attr("perm", perm).out();
        }
        boolean trailing = axes.length > 0;
        for (int i = 0; i < sorted.length; i++) trailing &= sorted[i] == rank - sorted.length + i;
        if (trailing) {
            // ORT's kernel in double: in float32 it keeps its statistics in float32, which loses digits of
            // x - mean when the mean dwarfs the spread (51 ULP for a row of 4.95, 4.94, 4.94, 4.89; WPT allows 14)
            long[] normShape = new long[sorted.length];
            for (int i = 0; i < sorted.length; i++) normShape[i] = dims[sorted[i]];
            x = ActivationLowering.wide(cx, x);
            scale = scale == null ? cx.apply("Expand", ActivationLowering.dbl(cx, 1), cx.int64s(normShape))
                    : ActivationLowering.wide(cx, scale);
            if (bias != null) bias = ActivationLowering.wide(cx, bias);
            LoweringContext.NodeBuilder n = bias == null
                    ? cx.op("LayerNormalization", x, scale) : cx.op("LayerNormalization", x, scale, bias);
            ActivationLowering.narrow(cx, n.attr("axis", (long) sorted[0]).attr("epsilon", (float) attrs.epsilon()).out(), t, out);
            return;
        }
        // general axes: statistics over the axes, in double as on the CPU backend (this path is rare, and
        // a float32 mean loses the digits of x - mean when the mean dwarfs the spread); scale/bias reshaped
        long[] bshape = new long[rank];
        Arrays.fill(bshape, 1);
        for (int a : sorted) bshape[a] = dims[a];
        x = ActivationLowering.wide(cx, x);
        if (scale != null) scale = ActivationLowering.wide(cx, scale);
        if (bias != null) bias = ActivationLowering.wide(cx, bias);
        String d;
        String var;
        if (axes.length == 0) {
            d = cx.apply("Sub", x, x);
            var = cx.apply("Mul", d, d);
        } else {
            String mean = ReductionLowering.reduceNode(cx, "ReduceMean", x, sorted, true);
            d = cx.apply("Sub", x, mean);
            var = ReductionLowering.reduceNode(cx, "ReduceMean", cx.apply("Mul", d, d), sorted, true);
        }
        String y = cx.apply("Div", d, cx.apply("Sqrt", cx.apply("Add", var, ActivationLowering.dbl(cx, attrs.epsilon()))));
        if (scale != null) y = cx.apply("Mul", y, cx.apply("Reshape", scale, cx.int64s(bshape)));
        if (bias != null) y = cx.apply("Add", y, cx.apply("Reshape", bias, cx.int64s(bshape)));
        ActivationLowering.narrow(cx, y, t, out);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalArgumentException(v + " not in " + Arrays.toString(a));
    }
}
