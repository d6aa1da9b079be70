package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPadOptions;
import dev.anneau.webnn.MLPool2dOptions;
import dev.anneau.webnn.MLReduceOptions;
import dev.anneau.webnn.MLRoundingType;
import java.util.Arrays;

/**
 * MaxPool, AveragePool, LpPool (p = 2) in 1-D, 2-D and 3-D (depth pooled over strided slices of
 * 2-D pooling results), and the global pools as reductions over the spatial axes. WebNN pooling
 * never counts padding; AveragePool with count_include_pad=1 pads explicitly with zeros first.
 */
final class PoolMappers {
    private PoolMappers() {}

    enum Kind { MAX, AVERAGE, L2 }

    static void register(MapperRegistry r) {
        r.register("MaxPool", cx -> pool(cx, Kind.MAX));
        r.register("AveragePool", cx -> pool(cx, Kind.AVERAGE));
        r.register("LpPool", cx -> {
            if (cx.attrInt("p", 2) != 2) throw cx.unsupported("LpPool with p=%d (only p=2 maps to l2Pool2d)", cx.attrInt("p", 2));
            pool(cx, Kind.L2);
        });
        r.register("GlobalAveragePool", cx -> global(cx, (x, o) -> cx.b().reduceMean(x, o)));
        r.register("GlobalMaxPool", cx -> global(cx, (x, o) -> cx.b().reduceMax(x, o)));
        r.register("GlobalLpPool", cx -> {
            long p = cx.attrInt("p", 2);
            if (p == 2) global(cx, (x, o) -> cx.b().reduceL2(x, o));
            else if (p == 1) global(cx, (x, o) -> cx.b().reduceL1(x, o));
            else throw cx.unsupported("GlobalLpPool with p=%d", p);
        });
    }

    private static void global(NodeContext cx, java.util.function.BiFunction<MLOperand, MLReduceOptions, MLOperand> f) {
        MLOperand x = cx.in(0);
        int r = x.rank();
        if (r < 3) throw cx.unsupported("global pooling needs rank >= 3");
        cx.out(0, f.apply(x, new MLReduceOptions().withAxes(Ops.range(2, r)).withKeepDimensions(true)), cx.type(0));
    }

    /** ONNX pooled output size (floor or ceil mode; a ceil window must start inside input or left padding). */
    static long onnxOutSize(long in, long k, long stride, long dil, long pb, long pe, boolean ceil) {
        long eff = (k - 1) * dil + 1;
        long num = in + pb + pe - eff;
        long out = (ceil ? Math.floorDiv(num + stride - 1, stride) : Math.floorDiv(num, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + pb) out--;
        return out;
    }

    private static void pool(NodeContext cx, Kind kind) {
        MLOperand x = cx.in(0);
        long[] xs = x.shape();
        int sr = xs.length - 2;
        long[] kernel = cx.attrInts("kernel_shape");
        if (kernel == null || kernel.length != sr) throw cx.unsupported("kernel_shape %s for rank %d", Arrays.toString(kernel), xs.length);
        boolean ceil = cx.attrInt("ceil_mode", 0) != 0;
        boolean includePad = kind == Kind.AVERAGE && cx.attrInt("count_include_pad", 0) != 0;
        if (cx.attrInt("storage_order", 0) != 0 && cx.wantsOutput(1)) throw cx.unsupported("MaxPool storage_order=1");
        if (cx.wantsOutput(1)) throw cx.unsupported("MaxPool Indices output");
        ConvMappers.Window win = ConvMappers.window(cx, Arrays.copyOfRange(xs, 2, xs.length), kernel, ceil);
        if (kind != Kind.MAX && cx.hasAttr("dilations")) {
            for (long d : win.dilations()) if (d != 1 && kind == Kind.L2) throw cx.unsupported("LpPool dilations");
        }
        // ONNX output sizes from the original input and padding (ceil windows must start inside input or left padding)
        long[] want = new long[sr];
        for (int i = 0; i < sr; i++) {
            want[i] = onnxOutSize(xs[i + 2], kernel[i], win.strides()[i], win.dilations()[i], win.padBegin()[i], win.padEnd()[i], ceil);
        }
        if (includePad) {
            boolean any = false;
            for (int i = 0; i < sr; i++) any |= win.padBegin()[i] > 0 || win.padEnd()[i] > 0;
            if (any) {
                int[] b = new int[xs.length], e = new int[xs.length];
                for (int i = 0; i < sr; i++) {
                    b[i + 2] = (int) win.padBegin()[i];
                    e[i + 2] = (int) win.padEnd()[i];
                }
                x = cx.b().pad(x, b, e, new MLPadOptions());
                xs = x.shape();
                win = new ConvMappers.Window(win.kernel(), win.strides(), win.dilations(), new long[sr], new long[sr]);
            }
        }
        MLOperand y;
        if (sr == 2) {
            y = pool2d(cx, x, win, want, kind);
        } else if (sr == 1) {
            MLOperand x4 = Ops.reshape(cx, x, xs[0], xs[1], xs[2], 1);
            ConvMappers.Window w2 = new ConvMappers.Window(new long[] {win.kernel()[0], 1}, new long[] {win.strides()[0], 1},
                    new long[] {win.dilations()[0], 1}, new long[] {win.padBegin()[0], 0}, new long[] {win.padEnd()[0], 0});
            MLOperand y4 = pool2d(cx, x4, w2, new long[] {want[0], 1}, kind);
            long[] ys = y4.shape();
            y = Ops.reshape(cx, y4, ys[0], ys[1], ys[2]);
        } else if (sr == 3) {
            y = pool3d(cx, x, win, want, kind);
        } else {
            throw cx.unsupported("pooling with %d spatial dimensions", sr);
        }
        cx.out(0, y, cx.type(0));
    }

    /** 2-D pooling giving the ONNX output sizes {@code want} (by choosing WebNN's floor or ceil rounding). */
    static MLOperand pool2d(NodeContext cx, MLOperand x, ConvMappers.Window win, long[] want, Kind kind) {
        long[] xs = x.shape();
        long[] floor = new long[2], ceilSz = new long[2];
        for (int i = 0; i < 2; i++) {
            long k = win.kernel()[i], s = win.strides()[i], d = win.dilations()[i], pb = win.padBegin()[i], pe = win.padEnd()[i];
            long eff = (k - 1) * d + 1;
            floor[i] = Math.floorDiv(xs[i + 2] + pb + pe - eff, s) + 1;
            ceilSz[i] = Math.floorDiv(xs[i + 2] + pb + pe - eff + s - 1, s) + 1;
        }
        MLRoundingType rounding;
        if (Arrays.equals(want, floor)) rounding = MLRoundingType.FLOOR;
        else if (Arrays.equals(want, ceilSz)) rounding = MLRoundingType.CEIL;
        else throw cx.unsupported("pooling output size %s mixes rounding per axis", Arrays.toString(want));
        MLPool2dOptions o = new MLPool2dOptions()
                .withWindowDimensions(Ops.ints(win.kernel()))
                .withPadding(Ops.ints(new long[] {win.padBegin()[0], win.padEnd()[0], win.padBegin()[1], win.padEnd()[1]}))
                .withStrides(Ops.ints(win.strides()))
                .withDilations(Ops.ints(win.dilations()))
                .withOutputShapeRounding(rounding);
        MLGraphBuilder b = cx.b();
        return switch (kind) {
            case MAX -> b.maxPool2d(x, o);
            case AVERAGE -> b.averagePool2d(x, o);
            case L2 -> b.l2Pool2d(x, o);
        };
    }

    /** 3-D pooling: 2-D pooling over (H, W) with the depth folded into channels, then depth windows from strided slices. */
    private static MLOperand pool3d(NodeContext cx, MLOperand x, ConvMappers.Window win, long[] want, Kind kind) {
        if (kind == Kind.L2) throw cx.unsupported("3-D LpPool");
        MLGraphBuilder b = cx.b();
        long[] xs = x.shape();
        long n = xs[0], c = xs[1], d = xs[2];
        ConvMappers.Window w2 = new ConvMappers.Window(Arrays.copyOfRange(win.kernel(), 1, 3), Arrays.copyOfRange(win.strides(), 1, 3),
                Arrays.copyOfRange(win.dilations(), 1, 3), Arrays.copyOfRange(win.padBegin(), 1, 3), Arrays.copyOfRange(win.padEnd(), 1, 3));
        MLOperand hw = pool2d(cx, Ops.reshape(cx, x, n, c * d, xs[3], xs[4]), w2, new long[] {want[1], want[2]}, kind);
        long[] hs = hw.shape();
        MLOperand y = Ops.reshape(cx, hw, n, c, d, hs[2], hs[3]);
        long kd = win.kernel()[0], sd = win.strides()[0], dd = win.dilations()[0], pb = win.padBegin()[0], pe = win.padEnd()[0];
        long od = want[0];
        // pad the depth so that every window's slices exist (end padding also covers ceil-mode windows)
        long needEnd = Math.max(0, (od - 1) * sd + (kd - 1) * dd + 1 - (d + pb));
        MLOperandDataType t = x.dataType();
        if (pb > 0 || needEnd > 0) {
            double fill = kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
            y = b.pad(y, new int[] {0, 0, (int) pb, 0, 0}, new int[] {0, 0, (int) needEnd, 0, 0}, new MLPadOptions().withValue(fill));
        }
        MLOperand acc = null;
        for (long k = 0; k < kd; k++) {
            MLOperand s = ConvMappers.depthSlice(cx, y, k * dd, od, sd);
            acc = acc == null ? s : kind == Kind.MAX ? b.max(acc, s) : b.add(acc, s);
        }
        if (kind == Kind.AVERAGE) {
            // divide by the number of real (unpadded) depths in each window
            OnnxTensor count = OnnxTensor.zeros(ElementType.fromWebNN(t), od, 1, 1);
            for (long o = 0; o < od; o++) {
                long real = 0;
                for (long k = 0; k < kd; k++) {
                    long pos = o * sd + k * dd - pb;
                    if (pos >= 0 && pos < d) real++;
                }
                count.setDouble((int) o, 1.0 / Math.max(real, 1));
            }
            acc = b.mul(acc, cx.constant(count));
        }
        return acc;
    }
}
