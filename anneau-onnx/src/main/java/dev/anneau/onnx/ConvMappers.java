package dev.anneau.onnx;

import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLConvTranspose2dOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPadOptions;
import dev.anneau.webnn.MLSliceOptions;
import java.util.Arrays;

/**
 * Conv (1-D and 2-D directly, 3-D as one conv2d per kernel depth over depth-strided slices),
 * ConvTranspose (1-D, 2-D), ConvInteger (exact: float32 convolutions over channel chunks small
 * enough that every partial sum is an exactly representable integer, summed in int32).
 */
final class ConvMappers {
    private ConvMappers() {}

    static void register(MapperRegistry r) {
        r.register("Conv", ConvMappers::conv);
        r.register("ConvTranspose", ConvMappers::convTranspose);
        r.register("ConvInteger", ConvMappers::convInteger);
        r.register("QLinearConv", 10, MapperRegistry.MAX_OPSET, ConvMappers::qlinearConv);
    }

    /** Resolved spatial parameters of a convolution or pooling window. */
    record Window(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd) {
        int rank() { return kernel.length; }
    }

    /**
     * Reads strides, dilations, pads and auto_pad for a window of {@code kernel} over the spatial
     * dimensions {@code in} (conv and pooling share the rules; {@code ceil} is pooling's ceil_mode).
     */
    static Window window(NodeContext cx, long[] in, long[] kernel, boolean ceil) {
        int n = kernel.length;
        long[] strides = orOnes(cx.attrInts("strides"), n, cx, "strides");
        long[] dil = orOnes(cx.attrInts("dilations"), n, cx, "dilations");
        long[] pads = cx.attrInts("pads");
        String autoPad = cx.attrString("auto_pad", "NOTSET");
        long[] pb = new long[n], pe = new long[n];
        switch (autoPad) {
            case "NOTSET", "" -> {
                if (pads != null) {
                    if (pads.length != 2L * n) throw cx.unsupported("pads %s do not match %d spatial dimensions", Arrays.toString(pads), n);
                    for (int i = 0; i < n; i++) {
                        pb[i] = pads[i];
                        pe[i] = pads[i + n];
                        if (pb[i] < 0 || pe[i] < 0) throw cx.unsupported("negative pads %s", Arrays.toString(pads));
                    }
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < n; i++) {
                    long out = (in[i] + strides[i] - 1) / strides[i];
                    long total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1 - in[i], 0);
                    long small = total / 2, big = total - small;
                    if (autoPad.equals("SAME_UPPER")) {
                        pb[i] = small;
                        pe[i] = big;
                    } else {
                        pb[i] = big;
                        pe[i] = small;
                    }
                }
            }
            default -> throw cx.unsupported("auto_pad '%s'", autoPad);
        }
        return new Window(kernel, strides, dil, pb, pe);
    }

    static long[] orOnes(long[] v, int n, NodeContext cx, String what) {
        if (v == null) {
            long[] o = new long[n];
            Arrays.fill(o, 1);
            return o;
        }
        if (v.length != n) throw cx.unsupported("%s %s do not match %d spatial dimensions", what, Arrays.toString(v), n);
        for (long x : v) if (x < 1) throw cx.unsupported("%s %s must be positive", what, Arrays.toString(v));
        return v;
    }

    static void checkKernelShape(NodeContext cx, long[] kernel) {
        long[] ks = cx.attrInts("kernel_shape");
        if (ks != null && !Arrays.equals(ks, kernel)) {
            throw cx.unsupported("kernel_shape %s does not match the weights' %s", Arrays.toString(ks), Arrays.toString(kernel));
        }
    }

    // ------------------------------------------------------------------ Conv

    private static void conv(NodeContext cx) {
        MLOperand x = cx.in(0), w = cx.in(1);
        MLOperand bias = cx.has(2) ? cx.in(2) : null;
        long[] xs = x.shape(), ws = w.shape();
        int sr = xs.length - 2;
        if (sr < 1 || ws.length != xs.length) throw cx.unsupported("Conv of input %s with weights %s", Arrays.toString(xs), Arrays.toString(ws));
        long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        checkKernelShape(cx, kernel);
        int groups = cx.attrIntChecked("group", 1);
        Window win = window(cx, Arrays.copyOfRange(xs, 2, xs.length), kernel, false);
        cx.out(0, convNd(cx, x, w, bias, win, groups), cx.type(0));
    }

    /** An N-D convolution (N = 1, 2, 3) from conv2d calls. */
    static MLOperand convNd(NodeContext cx, MLOperand x, MLOperand w, MLOperand bias, Window win, int groups) {
        int sr = win.rank();
        long[] xs = x.shape(), ws = w.shape();
        if (sr == 2) return conv2d(cx, x, w, bias, win, groups);
        if (sr == 1) {
            MLOperand x4 = Ops.reshape(cx, x, xs[0], xs[1], xs[2], 1);
            MLOperand w4 = Ops.reshape(cx, w, ws[0], ws[1], ws[2], 1);
            Window w2 = new Window(new long[] {win.kernel()[0], 1}, new long[] {win.strides()[0], 1},
                    new long[] {win.dilations()[0], 1}, new long[] {win.padBegin()[0], 0}, new long[] {win.padEnd()[0], 0});
            MLOperand y = conv2d(cx, x4, w4, bias, w2, groups);
            long[] ys = y.shape();
            return Ops.reshape(cx, y, ys[0], ys[1], ys[2]);
        }
        if (sr == 3) return conv3d(cx, x, w, bias, win, groups);
        throw cx.unsupported("Conv with %d spatial dimensions", sr);
    }

    static MLOperand conv2d(NodeContext cx, MLOperand x, MLOperand w, MLOperand bias, Window win, int groups) {
        MLConv2dOptions o = new MLConv2dOptions()
                .withPadding(Ops.ints(new long[] {win.padBegin()[0], win.padEnd()[0], win.padBegin()[1], win.padEnd()[1]}))
                .withStrides(Ops.ints(win.strides()))
                .withDilations(Ops.ints(win.dilations()))
                .withGroups(groups);
        if (bias != null) o = o.withBias(bias);
        return cx.b().conv2d(x, w, o);
    }

    /**
     * 3-D convolution: for each kernel depth kd, the input depths read by every output depth form
     * a strided slice; fold them into the batch, convolve with that depth's 2-D filter, and sum.
     */
    private static MLOperand conv3d(NodeContext cx, MLOperand x, MLOperand w, MLOperand bias, Window win, int groups) {
        MLGraphBuilder b = cx.b();
        long[] xs = x.shape(), ws = w.shape();
        long n = xs[0], c = xs[1], d = xs[2], h = xs[3], wd = xs[4];
        long o = ws[0], kd = ws[2];
        long sd = win.strides()[0], dd = win.dilations()[0], pb = win.padBegin()[0], pe = win.padEnd()[0];
        long od = (d + pb + pe - dd * (kd - 1) - 1) / sd + 1;
        if (od < 1) throw cx.unsupported("Conv output depth would be %d", od);
        MLOperand xp = x;
        if (pb > 0 || pe > 0) xp = b.pad(x, new int[] {0, 0, (int) pb, 0, 0}, new int[] {0, 0, (int) pe, 0, 0}, new MLPadOptions());
        Window w2 = new Window(Arrays.copyOfRange(win.kernel(), 1, 3), Arrays.copyOfRange(win.strides(), 1, 3),
                Arrays.copyOfRange(win.dilations(), 1, 3), Arrays.copyOfRange(win.padBegin(), 1, 3), Arrays.copyOfRange(win.padEnd(), 1, 3));
        MLOperand sum = null;
        for (long k = 0; k < kd; k++) {
            MLOperand xk = depthSlice(cx, xp, k * dd, od, sd);
            MLOperand x2 = Ops.reshape(cx, Ops.transpose(cx, xk, 0, 2, 1, 3, 4), n * od, c, h, wd);
            MLOperand wk = Ops.reshape(cx, b.slice(w, new int[] {0, 0, (int) k, 0, 0},
                    new int[] {(int) o, (int) ws[1], 1, (int) ws[3], (int) ws[4]}), o, ws[1], ws[3], ws[4]);
            MLOperand y = conv2d(cx, x2, wk, null, w2, groups);
            sum = sum == null ? y : b.add(sum, y);
        }
        long[] ys = sum.shape();
        MLOperand y5 = Ops.transpose(cx, Ops.reshape(cx, sum, n, od, o, ys[2], ys[3]), 0, 2, 1, 3, 4);
        if (bias != null) y5 = b.add(y5, Ops.reshape(cx, bias, o, 1, 1, 1));
        return y5;
    }

    /** {@code count} depth slices of a 5-D tensor starting at {@code start}, {@code stride} apart. */
    static MLOperand depthSlice(NodeContext cx, MLOperand x, long start, long count, long stride) {
        long[] s = x.shape();
        int[] starts = {0, 0, (int) start, 0, 0};
        int[] sizes = {(int) s[0], (int) s[1], (int) ((count - 1) * stride + 1), (int) s[3], (int) s[4]};
        MLSliceOptions o = new MLSliceOptions();
        if (stride != 1) o = o.withStrides(1, 1, (int) stride, 1, 1);
        return cx.b().slice(x, starts, sizes, o);
    }

    // ------------------------------------------------------------------ ConvTranspose

    private static void convTranspose(NodeContext cx) {
        MLOperand x = cx.in(0), w = cx.in(1);
        MLOperand bias = cx.has(2) ? cx.in(2) : null;
        long[] xs = x.shape(), ws = w.shape();
        int sr = xs.length - 2;
        if (sr < 1 || sr > 2 || ws.length != xs.length) {
            throw cx.unsupported("ConvTranspose of input %s with weights %s (1-D and 2-D only)", Arrays.toString(xs), Arrays.toString(ws));
        }
        long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        checkKernelShape(cx, kernel);
        int groups = cx.attrIntChecked("group", 1);
        long[] strides = orOnes(cx.attrInts("strides"), sr, cx, "strides");
        long[] dil = orOnes(cx.attrInts("dilations"), sr, cx, "dilations");
        long[] outPad = cx.attrInts("output_padding");
        if (outPad == null) outPad = new long[sr];
        long[] outShape = cx.attrInts("output_shape");
        long[] pads = cx.attrInts("pads");
        String autoPad = cx.attrString("auto_pad", "NOTSET");
        long[] in = Arrays.copyOfRange(xs, 2, xs.length);
        long[] pb = new long[sr], pe = new long[sr];
        if (outShape != null && outShape.length == sr + 2) outShape = Arrays.copyOfRange(outShape, 2, sr + 2);
        if (outShape == null && (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER"))) {
            outShape = new long[sr];
            for (int i = 0; i < sr; i++) outShape[i] = in[i] * strides[i];
        }
        if (outShape != null) {
            if (outShape.length != sr) throw cx.unsupported("output_shape %s", Arrays.toString(outShape));
            for (int i = 0; i < sr; i++) {
                long total = strides[i] * (in[i] - 1) + outPad[i] + ((kernel[i] - 1) * dil[i] + 1) - outShape[i];
                if (total < 0) {
                    outPad[i] += -total;
                    total = 0;
                }
                if (autoPad.equals("SAME_UPPER")) {
                    pb[i] = total / 2;
                    pe[i] = total - total / 2;
                } else {
                    pb[i] = total - total / 2;
                    pe[i] = total / 2;
                }
            }
        } else if (pads != null && !autoPad.equals("VALID")) {
            if (pads.length != 2L * sr) throw cx.unsupported("pads %s", Arrays.toString(pads));
            for (int i = 0; i < sr; i++) {
                pb[i] = pads[i];
                pe[i] = pads[i + sr];
            }
        }
        MLOperand xx = x, ww = w;
        if (sr == 1) {
            xx = Ops.reshape(cx, x, xs[0], xs[1], xs[2], 1);
            ww = Ops.reshape(cx, w, ws[0], ws[1], ws[2], 1);
            kernel = new long[] {kernel[0], 1};
            strides = new long[] {strides[0], 1};
            dil = new long[] {dil[0], 1};
            outPad = new long[] {outPad[0], 0};
            pb = new long[] {pb[0], 0};
            pe = new long[] {pe[0], 0};
        }
        for (int i = 0; i < outPad.length; i++) {
            if (outPad[i] >= strides[i] && outPad[i] >= dil[i]) {
                throw cx.unsupported("ConvTranspose output padding %d is not below stride %d or dilation %d", outPad[i], strides[i], dil[i]);
            }
        }
        MLConvTranspose2dOptions o = new MLConvTranspose2dOptions()
                .withPadding(Ops.ints(new long[] {pb[0], pe[0], pb[1], pe[1]}))
                .withStrides(Ops.ints(strides))
                .withDilations(Ops.ints(dil))
                .withOutputPadding(Ops.ints(outPad))
                .withGroups(groups);
        if (bias != null) o = o.withBias(bias);
        MLOperand y = cx.b().convTranspose2d(xx, ww, o);
        if (sr == 1) {
            long[] ys = y.shape();
            y = Ops.reshape(cx, y, ys[0], ys[1], ys[2]);
        }
        cx.out(0, y, cx.type(0));
    }

    // ------------------------------------------------------------------ ConvInteger

    private static void convInteger(NodeContext cx) {
        cx.out(0, intConv(cx, cx.in(0), cx.has(2) ? cx.in(2) : null, cx.in(1), cx.has(3) ? cx.in(3) : null), ElementType.INT32);
    }

    /** The exact int32 convolution of (x - xZero) with (w - wZero) (8-bit operands; w's zero point per tensor or per output channel). */
    static MLOperand intConv(NodeContext cx, MLOperand x, MLOperand xZero, MLOperand w, MLOperand wZero) {
        MLGraphBuilder b = cx.b();
        long[] xs = x.shape(), ws = w.shape();
        long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        checkKernelShape(cx, kernel);
        int groups = cx.attrIntChecked("group", 1);
        Window win = window(cx, Arrays.copyOfRange(xs, 2, xs.length), kernel, false);
        MLOperand xf = centered(cx, x, xZero, 1, xs.length);
        MLOperand wf = centered(cx, w, wZero, 0, ws.length);
        // |x - zx| <= 255 and |w - zw| <= 255: keep every float32 partial sum below 2^24
        long kprod = Math.max(1, Shapes.product(kernel, 0, kernel.length));
        long perOut = ws[1] * kprod;
        long limit = (1L << 24) / (255L * 255L);
        if (perOut <= limit) return b.cast(convNd(cx, xf, wf, null, win, groups), MLOperandDataType.INT32);
        if (groups != 1) throw cx.unsupported("grouped integer convolution too large to compute exactly");
        long maxChunk = Math.max(1, limit / kprod);
        if (kprod > limit) throw cx.unsupported("integer convolution kernel too large to compute exactly");
        MLOperand acc = null;
        long c = xs[1];
        for (long c0 = 0; c0 < c; c0 += maxChunk) {
            long cn = Math.min(maxChunk, c - c0);
            MLOperand y = b.cast(convNd(cx, sliceAxis(cx, xf, 1, c0, cn), sliceAxis(cx, wf, 1, c0, cn), null, win, 1), MLOperandDataType.INT32);
            acc = acc == null ? y : b.add(acc, y);
        }
        return acc;
    }

    private static void qlinearConv(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand acc = intConv(cx, cx.in(0), cx.has(2) ? cx.in(2) : null, cx.in(3), cx.has(5) ? cx.in(5) : null);
        int r = acc.rank();
        if (cx.has(8)) {
            long[] bs = new long[r - 1];
            Arrays.fill(bs, 1);
            bs[0] = cx.shape(8)[0];
            acc = b.add(acc, Ops.reshape(cx, b.cast(cx.in(8), MLOperandDataType.INT32), bs));
        }
        MLOperand wScale = cx.in(4);
        if (wScale.rank() == 1 && wScale.shape()[0] > 1) {
            long[] ss = new long[r - 1];
            Arrays.fill(ss, 1);
            ss[0] = wScale.shape()[0];
            wScale = Ops.reshape(cx, wScale, ss);
        }
        ElementType out = cx.has(7) ? cx.type(7) : cx.type(0);
        cx.out(0, MatrixMappers.requantize(cx, acc, cx.in(1), wScale, cx.in(6), cx.has(7) ? cx.in(7) : null, out), out);
    }

    /** float32(v) - float32(zeroPoint), the zero point per tensor or per {@code axis}. */
    static MLOperand centered(NodeContext cx, MLOperand v, MLOperand zp, int axis, int rank) {
        MLGraphBuilder b = cx.b();
        MLOperand f = b.cast(v, MLOperandDataType.FLOAT32);
        if (zp == null) return f;
        MLOperand z = b.cast(zp, MLOperandDataType.FLOAT32);
        long[] zs = z.shape();
        if (zs.length == 1 && zs[0] > 1) {
            long[] t = new long[rank - axis];
            Arrays.fill(t, 1);
            t[0] = zs[0];
            z = Ops.reshape(cx, z, t);
        }
        return b.sub(f, z);
    }

    static MLOperand sliceAxis(NodeContext cx, MLOperand x, int axis, long start, long size) {
        long[] s = x.shape();
        int[] st = new int[s.length], sz = Ops.ints(s);
        st[axis] = (int) start;
        sz[axis] = (int) size;
        return cx.b().slice(x, st, sz);
    }
}
