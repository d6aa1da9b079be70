package dev.anneau.backend.ort.lowering;

import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInterpolationMode;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.NotSupportedError;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.Numbers;
import dev.anneau.webnn.ops.PoolingOps.PoolAttributes;
import dev.anneau.webnn.ops.PoolingOps.ResampleAttributes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;

/**
 * ONNX lowerings of the pooling family (see {@code dev.anneau.webnn.PoolingMethods}).
 *
 * <p>WebNN pooling windows only see real input elements: averagePool2d divides by the number of
 * input elements in the window (ONNX {@code count_include_pad = 0}), l2Pool2d adds the squares of
 * the input elements (ONNX LpPool with p = 2; padding adds nothing), maxPool2d ignores padding.
 * The output size is always reached with floor rounding: a rounded-up size (outputShapeRounding
 * ceil or outputSizes) becomes extra bottom/right padding, which none of the three counts, so
 * ONNX's {@code ceil_mode} (whose last-window rule differs between versions) is never used.
 *
 * <p>ORT's pool kernels refuse padding that is not smaller than the window, and give windows
 * that lie wholly in the padding values of their own. In those cases averagePool2d sums with a
 * depthwise Conv of ones and divides by the element count of each window (known at build time;
 * NaN for none), l2Pool2d pads explicitly with zeros, and maxPool2d pads explicitly with -Infinity
 * and sets all-padding windows to -Infinity (see {@link #maxPool}); int64/uint64 maxPool2d is a
 * separable Slice/Max decomposition (see {@link #separableMax}).
 *
 * <p>resample2d: nearest-neighbor is two Gathers with source indices computed here by the spec's
 * formula; linear is ONNX Resize with {@code half_pixel} coordinates for float types where ORT
 * computes the spec's sampling positions exactly (power-of-two scales, see {@link #resizeIsExact}),
 * else Gathers weighted in float32 ({@link #linearGather}); int8/uint8 are an exact double-precision
 * decomposition (see {@link #linearInDouble}).
 */
public final class PoolingLowering {
    private PoolingLowering() {}

    enum Kind { AVERAGE, L2, MAX }

    public static void register(LoweringRegistry registry) {
        registry.register("averagePool2d", LoweringRegistry.FLOATS, (op, cx) -> pool(op, cx, Kind.AVERAGE));
        registry.register("l2Pool2d", LoweringRegistry.FLOATS, (op, cx) -> pool(op, cx, Kind.L2));
        registry.register("maxPool2d", LoweringRegistry.ALL, (op, cx) -> pool(op, cx, Kind.MAX));
        registry.register("resample2d", EnumSet.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16,
                MLOperandDataType.INT8, MLOperandDataType.UINT8), PoolingLowering::resample2d);
    }

    // ------------------------------------------------------------------ pooling

    /** Number of input elements in each output position's window along one axis (see the CPU kernel). */
    static long[] counts(long window, long pad, long stride, long dilation, long input, int output) {
        long[] n = new long[output];
        for (int o = 0; o < output; o++) {
            long offset = o * stride - pad;
            long first = Math.max(0, Math.ceilDiv(-offset, dilation));
            long last = Math.min(window - 1, Math.floorDiv(input - 1 - offset, dilation));
            n[o] = Math.max(0, last - first + 1);
        }
        return n;
    }

    private static void pool(Operation op, LoweringContext cx, Kind kind) {
        PoolAttributes a = op.attributes(PoolAttributes.class);
        MLOperandDataType type = op.input(0).dataType();
        boolean nhwc = a.layout() == MLInputOperandLayout.NHWC;
        String x = cx.value(op.input(0));
        if (nhwc) x = cx.op("Transpose", x).attr("perm", ConvolutionLowering.NHWC_TO_NCHW).out();

        long effH = (a.windowHeight() - 1) * a.dilationHeight() + 1;
        long effW = (a.windowWidth() - 1) * a.dilationWidth() + 1;
        // bottom/right padding that makes floor rounding give the output size
        long padBottom = a.padBottom() + Math.max(0, (a.outputHeight() - 1) * a.strideHeight() + effH
                - (a.inputHeight() + a.padTop() + a.padBottom()));
        long padRight = a.padRight() + Math.max(0, (a.outputWidth() - 1) * a.strideWidth() + effW
                - (a.inputWidth() + a.padLeft() + a.padRight()));
        long[] pads = {a.padTop(), a.padLeft(), padBottom, padRight};
        long[] rows = counts(a.windowHeight(), a.padTop(), a.strideHeight(), a.dilationHeight(), a.inputHeight(),
                a.outputHeight());
        long[] cols = counts(a.windowWidth(), a.padLeft(), a.strideWidth(), a.dilationWidth(), a.inputWidth(),
                a.outputWidth());
        boolean emptyWindow = false;
        for (long r : rows) emptyWindow |= r == 0;
        for (long c : cols) emptyWindow |= c == 0;
        boolean nativePads = !emptyWindow && a.padTop() < a.windowHeight() && padBottom < a.windowHeight()
                && a.padLeft() < a.windowWidth() && padRight < a.windowWidth();
        long[] window = {a.windowHeight(), a.windowWidth()};
        long[] strides = {a.strideHeight(), a.strideWidth()};
        long[] dilations = {a.dilationHeight(), a.dilationWidth()};

        String y = switch (kind) {
            case AVERAGE -> {
                if (nativePads) {
                    yield cx.op("AveragePool", x).attr("kernel_shape", window).attr("pads", pads).attr("strides", strides)
                            .attr("dilations", dilations).attr("count_include_pad", 0L).out();
                }
                // the window sums as a depthwise convolution with a filter of ones (Conv takes any padding), divided
                // by the number of input elements in each window (0 / 0 = NaN for a window of padding only); in float32
                // for float16 too, where a sum could overflow although the mean does not
                MLOperandDataType f32 = MLOperandDataType.FLOAT32;
                double[] ones = new double[(int) (a.channels() * a.windowHeight() * a.windowWidth())];
                java.util.Arrays.fill(ones, 1);
                String filter = constant(cx, f32, new int[] {a.channels(), 1, (int) a.windowHeight(), (int) a.windowWidth()}, ones);
                String in32 = type == f32 ? x : cx.cast(x, f32);
                String sum = cx.op("Conv", in32, filter).attr("kernel_shape", window).attr("pads", pads).attr("strides", strides)
                        .attr("dilations", dilations).attr("group", (long) a.channels()).out();
                double[] count = new double[rows.length * cols.length];
                for (int r = 0; r < rows.length; r++) {
                    for (int c = 0; c < cols.length; c++) count[r * cols.length + c] = rows[r] * cols[c];
                }
                String mean = cx.apply("Div", sum, constant(cx, f32, new int[] {1, 1, rows.length, cols.length}, count));
                yield type == f32 ? mean : cx.cast(mean, type);
            }
            case L2 -> {
                if (!nativePads) {
                    // explicit zero padding (adds nothing to the squares); LpPool is not one of the pools ORT's
                    // PadFusion folds a Pad into
                    x = pad(cx, x, pads, cx.scalar(type, 0));
                    pads = new long[4];
                }
                yield cx.op("LpPool", x).attr("kernel_shape", window).attr("pads", pads).attr("strides", strides)
                        .attr("dilations", dilations).attr("p", 2L).out();
            }
            case MAX -> type == MLOperandDataType.INT64 || type == MLOperandDataType.UINT64
                    ? separableMax(cx, x, type, a, pads)
                    : maxPool(cx, x, type, nativePads, emptyWindow, rows, cols, pads, window, strides, dilations);
        };
        if (nhwc) {
            cx.op("Transpose", y).attr("perm", ConvolutionLowering.NCHW_TO_NHWC).out(cx.outputName(op.output(0)));
        } else {
            cx.bind(op.output(0), y);
        }
    }

    /**
     * maxPool2d. float32/float16/int8 and uint8 with padding ORT accepts run as MaxPool; int32 and
     * uint32 (no ORT kernel) and uint8 with larger padding run in double, where they are exact.
     * Explicit padding is -Infinity (int8: -128), never 0: ORT's PadFusion folds a Pad of zeros
     * into a following MaxPool's own padding, which it then refuses when not smaller than the window.
     * ORT starts each maximum at the lowest finite value, so windows of padding only come out as
     * that and are set to the spec's value: -Infinity for floats, the type's minimum for integers.
     * ORT's maximum also skips NaN, so windows holding a NaN are found with a pooled NaN mask and
     * set to NaN.
     */
    private static String maxPool(LoweringContext cx, String x, MLOperandDataType type, boolean nativePads,
                                  boolean emptyWindow, long[] rows, long[] cols, long[] pads, long[] window, long[] strides,
                                  long[] dilations) {
        boolean viaDouble = type == MLOperandDataType.INT32 || type == MLOperandDataType.UINT32
                || (type == MLOperandDataType.UINT8 && !nativePads);
        if (viaDouble) x = cx.castTo(x, TensorProto.DataType.DOUBLE);
        String nanWindows = null;
        if (type.isFloatingPoint()) {
            // ORT's max skips NaN; the cpu backend's (webnn-baseline's Math.max) maximum of a window with a NaN is NaN:
            // pool a mask of the NaNs over the same windows (padding -1, never 0: see PadFusion below)
            String mask = cx.cast(cx.apply("IsNaN", x), type);
            long[] maskPads = pads;
            if (!nativePads) {
                mask = pad(cx, mask, pads, cx.scalar(type, -1));
                maskPads = new long[4];
            }
            nanWindows = cx.apply("Greater", cx.op("MaxPool", mask).attr("kernel_shape", window).attr("pads", maskPads)
                    .attr("strides", strides).attr("dilations", dilations).out(), rank4(cx, type, 0));
        }
        if (!nativePads) {
            String value = viaDouble ? doubleScalar(cx, Double.NEGATIVE_INFINITY)
                    : type == MLOperandDataType.INT8 ? cx.scalar(type, Byte.MIN_VALUE) : cx.scalar(type, Double.NEGATIVE_INFINITY);
            x = pad(cx, x, pads, value);
            pads = new long[4];
        }
        String y = cx.op("MaxPool", x).attr("kernel_shape", window).attr("pads", pads).attr("strides", strides)
                .attr("dilations", dilations).out();
        if (viaDouble) {
            if (emptyWindow) {
                double min = type == MLOperandDataType.INT32 ? Integer.MIN_VALUE : 0;
                y = cx.apply("Max", y, doubleScalar(cx, min));
            }
            return cx.cast(y, type);
        }
        if (emptyWindow && type.isFloatingPoint()) {
            TensorProto.Builder mask = TensorProto.newBuilder().setDataType(TensorProto.DataType.BOOL.getNumber())
                    .addDims(1).addDims(1).addDims(rows.length).addDims(cols.length);
            byte[] bytes = new byte[rows.length * cols.length];
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < cols.length; c++) bytes[r * cols.length + c] = (byte) (rows[r] == 0 || cols[c] == 0 ? 1 : 0);
            }
            mask.setRawData(com.google.protobuf.ByteString.copyFrom(bytes));
            // operands of the pooled rank: ORT's transpose optimizer mishandles lower-rank Where operands (nhwc)
            y = cx.apply("Where", cx.initializer(mask), rank4(cx, type, Double.NEGATIVE_INFINITY), y);
        }
        if (nanWindows != null) y = cx.apply("Where", nanWindows, rank4(cx, type, Double.NaN), y);
        return y;
    }

    /**
     * maxPool2d of int64/uint64, which ORT's MaxPool lacks (and double would round): the input is
     * padded with the type's minimum (what a window of padding only gives), then the maximum is
     * taken over window rows and then over window columns, each a strided Slice per window
     * position combined with Max (exact for both types; ORT's Max compares uint64 unsigned).
     */
    private static String separableMax(LoweringContext cx, String x, MLOperandDataType type, PoolAttributes a, long[] pads) {
        String min = cx.scalarBits(type, type == MLOperandDataType.INT64 ? Long.MIN_VALUE : 0);
        if (pads[0] != 0 || pads[1] != 0 || pads[2] != 0 || pads[3] != 0) x = pad(cx, x, pads, min);
        long[][] axes = {{2, a.windowHeight(), a.dilationHeight(), a.strideHeight(), a.outputHeight()},
                {3, a.windowWidth(), a.dilationWidth(), a.strideWidth(), a.outputWidth()}};
        for (long[] ax : axes) {
            long axis = ax[0], window = ax[1], dilation = ax[2], stride = ax[3], output = ax[4];
            String[] parts = new String[(int) window];
            for (int k = 0; k < window; k++) {
                long start = k * dilation;
                parts[k] = cx.apply("Slice", x, cx.int64s(start), cx.int64s(start + (output - 1) * stride + 1),
                        cx.int64s(axis), cx.int64s(stride));
            }
            x = parts.length == 1 ? parts[0] : cx.apply("Max", parts);
        }
        return x;
    }

    /** A [1, 1, 1, 1] constant: ORT's transpose optimizer mishandles lower-rank Where operands next to NHWC transposes. */
    private static String rank4(LoweringContext cx, MLOperandDataType type, double v) {
        return constant(cx, type, new int[] {1, 1, 1, 1}, new double[] {v});
    }

    /** A constant Pad of the two spatial axes of an NCHW tensor by {@code pads} = [top, left, bottom, right]. */
    private static String pad(LoweringContext cx, String x, long[] pads, String value) {
        return cx.op("Pad", x, cx.int64s(0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]), value).attr("mode", "constant").out();
    }

    private static String doubleScalar(LoweringContext cx, double v) {
        return cx.initializer(TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE.getNumber()).addDoubleData(v));
    }

    /** A float32 or float16 initializer holding {@code values} (each rounded once). */
    static String constant(LoweringContext cx, MLOperandDataType type, int[] dims, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * (type == MLOperandDataType.FLOAT16 ? 2 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (type == MLOperandDataType.FLOAT16) b.putShort(Numbers.doubleToHalf(v));
            else b.putFloat((float) v);
        }
        b.flip();
        return cx.raw(type, dims, b);
    }

    // ------------------------------------------------------------------ resample2d

    /**
     * The spec's source coordinate of output element {@code o} along an axis: {@code (o + 0.5) /
     * scale - 0.5} clamped into the input, in double as the CPU kernel computes it.
     */
    static double coordinate(int o, double scale, int inputSize) {
        double c = (o + 0.5) / scale - 0.5;
        return Math.max(Math.min(c, inputSize - 1), 0);
    }

    private static void resample2d(Operation op, LoweringContext cx) {
        ResampleAttributes a = op.attributes(ResampleAttributes.class);
        MLOperandDataType type = op.input(0).dataType();
        int[] in = a.inputShape(), out = a.outputShape();
        String x = cx.value(op.input(0));
        String y;
        if (a.mode() == MLInterpolationMode.NEAREST_NEIGHBOR) {
            // nearest-neighbor is a selection: two Gathers with the source indices computed here exactly as the spec
            // says (ceil(c - 0.5): halves go down), so no float rounding of ORT's coordinates can pick a neighbour
            y = x;
            for (int i = 0; i < 2; i++) {
                int axis = a.axes()[i];
                long[] index = new long[out[axis]];
                for (int o = 0; o < index.length; o++) {
                    index[o] = (long) Math.ceil(coordinate(o, a.scales()[i], in[axis]) - 0.5);
                }
                y = cx.op("Gather", y, cx.int64s(index)).attr("axis", (long) axis).out();
            }
        } else if (!type.isFloatingPoint()) {
            y = linearInDouble(a, x, cx, type);
        } else if (resizeIsExact(a)) {
            y = linearResize(a, x, cx);
        } else {
            y = linearGather(a, x, cx, type);
        }
        cx.bind(op.output(0), y);
    }

    /**
     * Linear resample2d of float32/float16 as ONNX Resize (half_pixel coordinates, clamped into the
     * input as the spec does), computed in float by ORT; within the suite's tolerance of the spec.
     */
    private static String linearResize(ResampleAttributes a, String x, LoweringContext cx) {
        int[] in = a.inputShape(), outShape = a.outputShape();
        int rank = in.length;
        int ay = a.axes()[0], ax = a.axes()[1];
        // ORT's linear Resize takes 4-D inputs with the resized axes at 2,3 (or 1,2); others are transposed there
        long[] perm = null;
        int lo = Math.min(ay, ax), hi = Math.max(ay, ax);
        if (!((lo == 2 && hi == 3) || (lo == 1 && hi == 2))) {
            perm = new long[rank];
            int k = 0;
            for (int d = 0; d < rank; d++) if (d != ay && d != ax) perm[k++] = d;
            perm[k++] = ay;
            perm[k] = ax;
        }
        int[] pIn = permute(in, perm), pOut = permute(outShape, perm);
        int py = perm == null ? ay : rank - 2, px = perm == null ? ax : rank - 1;
        if (perm != null) x = cx.op("Transpose", x).attr("perm", perm).out();

        String y;
        boolean fromSizes = a.scales()[0] == (double) outShape[ay] / in[ay] && a.scales()[1] == (double) outShape[ax] / in[ax];
        if (fromSizes) {
            long[] sizes = new long[rank];
            for (int d = 0; d < rank; d++) sizes[d] = pOut[d];
            y = cx.op("Resize", x, "", "", cx.int64s(sizes)).attr("mode", "linear")
                    .attr("coordinate_transformation_mode", "half_pixel").out();
        } else {
            // the coordinates must use the given scale, so it goes in as is; ORT sizes the output as
            // (int64) (scale * input) in float arithmetic, which can round up to one more element than the
            // spec's floor(input * scale): the extra trailing elements are sliced off
            float[] scales = new float[rank];
            java.util.Arrays.fill(scales, 1f);
            scales[py] = (float) a.scales()[0];
            scales[px] = (float) a.scales()[1];
            boolean slice = false;
            for (int d : new int[] {py, px}) {
                long size = (long) (scales[d] * (float) pIn[d]);
                if (size < pOut[d]) {
                    throw new NotSupportedError("resample2d: ONNX Runtime would size axis " + d + " as " + size
                            + " (float32 " + pIn[d] + " * " + scales[d] + "), WebNN as " + pOut[d] + "; use sizes instead of scales");
                }
                slice |= size > pOut[d];
            }
            ByteBuffer b = ByteBuffer.allocate(4 * rank).order(ByteOrder.LITTLE_ENDIAN);
            for (float s : scales) b.putFloat(s);
            b.flip();
            y = cx.op("Resize", x, "", cx.raw(MLOperandDataType.FLOAT32, new int[] {rank}, b)).attr("mode", "linear")
                    .attr("coordinate_transformation_mode", "half_pixel").out();
            if (slice) y = cx.apply("Slice", y, cx.int64s(0, 0), cx.int64s(pOut[py], pOut[px]), cx.int64s(py, px));
        }
        if (perm == null) return y;
        long[] inverse = new long[rank];
        for (int d = 0; d < rank; d++) inverse[(int) perm[d]] = d;
        return cx.op("Transpose", y).attr("perm", inverse).out();
    }

    /**
     * Whether ORT's Resize computes exactly the spec's sampling positions: it computes the half-pixel
     * coordinate in float32, {@code (o + 0.5f) / scale - 0.5f} with {@code scale} the float32 scale
     * (for sizes, {@code (float) out / (float) in}), and takes the weights as distances to the
     * neighbours. Where that coordinate is not the exact one (scales like 1.5 or 10/19), a weight
     * near 0 is off by a few float ULPs of the coordinate, which is hundreds of ULP of an output
     * dominated by that weight (e.g. next to zeros). Exact for power-of-two scales and sizes.
     * ORT also returns its input unchanged when the output shape equals the input shape, which is
     * only right where every scale is 1.
     */
    static boolean resizeIsExact(ResampleAttributes a) {
        int[] in = a.inputShape(), out = a.outputShape();
        if (java.util.Arrays.equals(in, out)) return a.scales()[0] == 1 && a.scales()[1] == 1;
        for (int i = 0; i < 2; i++) {
            int axis = a.axes()[i];
            double scale = a.scales()[i];
            boolean fromSizes = scale == (double) out[axis] / in[axis];
            float f = fromSizes ? (float) out[axis] / (float) in[axis] : (float) scale;
            if (f != 1f || scale != 1) {
                for (int o = 0; o < out[axis]; o++) {
                    float c = Math.max(0f, Math.min(((float) o + 0.5f) / f - 0.5f, (float) (in[axis] - 1)));
                    if (c != coordinate(o, scale, in[axis])) return false;
                }
            }
        }
        return true;
    }

    /**
     * Linear resample2d of float32/float16 where ORT's Resize would not sample at the spec's
     * positions (see {@link #resizeIsExact}): per axis, the second first, two Gathers of the
     * neighbours weighted by {@code 1 - t} and {@code t} (computed in double, rounded once to
     * float32), in float32 (float16 rounded once at the end).
     */
    private static String linearGather(ResampleAttributes a, String x, LoweringContext cx, MLOperandDataType type) {
        int[] in = a.inputShape(), out = a.outputShape();
        int rank = in.length;
        MLOperandDataType f32 = MLOperandDataType.FLOAT32;
        String v = type == f32 ? x : cx.cast(x, f32);
        for (int i = 1; i >= 0; i--) {
            int axis = a.axes()[i];
            int size = out[axis];
            long[] lo = new long[size], hi = new long[size];
            double[] t = new double[size], oneMinusT = new double[size];
            for (int o = 0; o < size; o++) {
                double c = coordinate(o, a.scales()[i], in[axis]);
                lo[o] = (long) Math.floor(c);
                hi[o] = (long) Math.ceil(c);
                t[o] = c - lo[o];
                oneMinusT[o] = 1 - t[o];
            }
            int[] weightShape = new int[rank];
            java.util.Arrays.fill(weightShape, 1);
            weightShape[axis] = size;
            String v0 = cx.op("Gather", v, cx.int64s(lo)).attr("axis", (long) axis).out();
            String v1 = cx.op("Gather", v, cx.int64s(hi)).attr("axis", (long) axis).out();
            v = cx.apply("Add", cx.apply("Mul", v0, constant(cx, f32, weightShape, oneMinusT)),
                    cx.apply("Mul", v1, constant(cx, f32, weightShape, t)));
        }
        return type == f32 ? v : cx.cast(v, type);
    }

    /**
     * Linear resample2d of int8/uint8, rounded to the nearest even integer: computed in double with
     * the same operations in the same order as the spec's (and the CPU kernel's) interpolation, so
     * near-halves round the same way: along the second axis first
     * ({@code v0 * (1 - t) + v1 * t}), then along the first.
     */
    private static String linearInDouble(ResampleAttributes a, String x, LoweringContext cx, MLOperandDataType type) {
        int[] in = a.inputShape(), out = a.outputShape();
        int rank = in.length;
        String v = cx.castTo(x, TensorProto.DataType.DOUBLE);
        for (int i = 1; i >= 0; i--) {
            int axis = a.axes()[i];
            int size = out[axis];
            long[] lo = new long[size], hi = new long[size];
            double[] t = new double[size], oneMinusT = new double[size];
            for (int o = 0; o < size; o++) {
                double c = coordinate(o, a.scales()[i], in[axis]);
                lo[o] = (long) Math.floor(c);
                hi[o] = (long) Math.ceil(c);
                t[o] = c - lo[o];
                oneMinusT[o] = 1 - t[o];
            }
            int[] weightShape = new int[rank];
            java.util.Arrays.fill(weightShape, 1);
            weightShape[axis] = size;
            String v0 = cx.op("Gather", v, cx.int64s(lo)).attr("axis", (long) axis).out();
            String v1 = cx.op("Gather", v, cx.int64s(hi)).attr("axis", (long) axis).out();
            v = cx.apply("Add", cx.apply("Mul", v0, doubles(cx, weightShape, oneMinusT)),
                    cx.apply("Mul", v1, doubles(cx, weightShape, t)));
        }
        return cx.cast(cx.apply("Round", v), type);
    }

    private static String doubles(LoweringContext cx, int[] dims, double[] values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE.getNumber());
        for (int d : dims) t.addDims(d);
        for (double v : values) t.addDoubleData(v);
        return cx.initializer(t);
    }

    private static int[] permute(int[] dims, long[] perm) {
        if (perm == null) return dims;
        int[] p = new int[dims.length];
        for (int d = 0; d < dims.length; d++) p[d] = dims[(int) perm[d]];
        return p;
    }
}
