package dev.anneau.onnx;

import dev.anneau.webnn.MLGatherOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import java.util.Arrays;

/**
 * Resize (opsets 10-19) and Upsample (7-9) for every mode the ONNX reference implements:
 * interpolation is separable, so each resized axis is one constant matrix computed here from
 * the reference's coefficient rules (nearest with all rounding modes, linear, cubic, antialias,
 * exclude_outside, every coordinate transformation, tf_crop_and_resize with extrapolation).
 * Nearest becomes a gather with constant indices (exact for every type); linear and cubic a
 * matmul with the weight matrix over a [outer, n, inner] view of the tensor.
 */
final class ResizeMappers {
    private ResizeMappers() {}

    static void register(MapperRegistry r) {
        r.register("Resize", 10, MapperRegistry.MAX_OPSET, ResizeMappers::resize);
        r.register("Upsample", 7, 9, ResizeMappers::upsample);
    }

    /** The resolved parameters of one Resize. */
    record Params(String mode, String coord, String nearest, double cubicA, boolean exclude, double extrapolation,
                  boolean antialias) {}

    private static void upsample(NodeContext cx) {
        String mode = cx.attrString("mode", "nearest");
        float[] scales;
        if (cx.opset() < 9) {
            scales = cx.attrFloats("scales");
            if (scales == null) throw cx.unsupported("Upsample needs scales");
        } else {
            double[] d = cx.constIn(1).toDoubleArray();
            scales = new float[d.length];
            for (int i = 0; i < d.length; i++) scales[i] = (float) d[i];
        }
        if (!mode.equals("nearest") && !mode.equals("linear") && !mode.equals("bilinear")) throw cx.unsupported("Upsample mode '%s'", mode);
        Params p = new Params(mode.equals("nearest") ? "nearest" : "linear", "asymmetric", "simple", -0.75, false, 0, false);
        long[] in = cx.shape(0);
        double[] sc = new double[in.length];
        long[] out = new long[in.length];
        if (scales.length != in.length) throw cx.unsupported("Upsample scales %s do not match rank %d", Arrays.toString(scales), in.length);
        for (int i = 0; i < in.length; i++) {
            sc[i] = scales[i];
            out[i] = (long) Math.floor(sc[i] * in[i]);
        }
        apply(cx, p, sc, out, null);
    }

    private static void resize(NodeContext cx) {
        int opset = cx.opset();
        String mode = cx.attrString("mode", "nearest");
        String coord = opset < 11 ? "asymmetric" : cx.attrString("coordinate_transformation_mode", "half_pixel");
        String nearest = opset < 11 ? "simple" : cx.attrString("nearest_mode", "round_prefer_floor");
        double cubicA = cx.attrFloat("cubic_coeff_a", -0.75f);
        boolean exclude = cx.attrInt("exclude_outside", 0) != 0;
        double extrapolation = cx.attrFloat("extrapolation_value", 0f);
        boolean antialias = cx.attrInt("antialias", 0) != 0;
        String policy = cx.attrString("keep_aspect_ratio_policy", "stretch");
        long[] axesAttr = cx.attrInts("axes");
        if (!mode.equals("nearest") && !mode.equals("linear") && !mode.equals("cubic")) throw cx.unsupported("Resize mode '%s'", mode);
        if (mode.equals("nearest") && antialias) throw cx.unsupported("Resize antialias with mode nearest");
        long[] in = cx.shape(0);
        int r = in.length;
        int[] axes = new int[axesAttr == null ? r : axesAttr.length];
        for (int i = 0; i < axes.length; i++) axes[i] = axesAttr == null ? i : cx.axis(axesAttr[i], r);
        double[] roi = null;
        double[] scalesIn = null;
        long[] sizesIn = null;
        if (opset < 11) {
            scalesIn = cx.constIn(1).toDoubleArray();
        } else {
            if (cx.has(1) && cx.value(1).size() > 0 && coord.equals("tf_crop_and_resize")) roi = cx.constIn(1).toDoubleArray();
            if (cx.has(2) && cx.value(2).size() > 0) scalesIn = cx.constIn(2).toDoubleArray();
            if (cx.has(3) && cx.value(3).size() > 0) sizesIn = cx.constLongs(3);
        }
        if ((scalesIn == null) == (sizesIn == null)) throw cx.unsupported("Resize needs exactly one of scales and sizes");
        double[] scale = new double[r];
        long[] out = in.clone();
        Arrays.fill(scale, 1.0);
        if (scalesIn != null) {
            if (scalesIn.length != axes.length) throw cx.unsupported("Resize scales %s do not match the axes", Arrays.toString(scalesIn));
            for (int i = 0; i < axes.length; i++) {
                double s = (float) scalesIn[i];
                if (!(s > 0)) throw cx.unsupported("Resize scale %s must be positive", s);
                scale[axes[i]] = s;
                out[axes[i]] = (long) (s * in[axes[i]]);
            }
        } else {
            if (sizesIn.length != axes.length) throw cx.unsupported("Resize sizes %s do not match the axes", Arrays.toString(sizesIn));
            for (int i = 0; i < axes.length; i++) {
                out[axes[i]] = sizesIn[i];
                scale[axes[i]] = (double) sizesIn[i] / in[axes[i]];
            }
            if (!policy.equals("stretch")) {
                double s = policy.equals("not_larger") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                for (int a : axes) s = policy.equals("not_larger") ? Math.min(s, scale[a]) : Math.max(s, scale[a]);
                if (!policy.equals("not_larger") && !policy.equals("not_smaller")) throw cx.unsupported("keep_aspect_ratio_policy '%s'", policy);
                for (int a : axes) {
                    scale[a] = s;
                    out[a] = (long) (s * in[a] + 0.5);
                }
            }
        }
        double[] fullRoi = null;
        if (roi != null) {
            fullRoi = new double[2 * r];
            for (int i = 0; i < r; i++) {
                fullRoi[i] = 0;
                fullRoi[i + r] = 1;
            }
            if (roi.length == 2 * r && axesAttr == null) {
                fullRoi = roi;
            } else if (roi.length == 2 * axes.length) {
                for (int i = 0; i < axes.length; i++) {
                    fullRoi[axes[i]] = roi[i];
                    fullRoi[axes[i] + r] = roi[i + axes.length];
                }
            } else {
                throw cx.unsupported("Resize roi %s does not match the axes", Arrays.toString(roi));
            }
        }
        apply(cx, new Params(mode, coord, nearest, cubicA, exclude, extrapolation, antialias), scale, out, fullRoi);
    }

    private static void apply(NodeContext cx, Params p, double[] scale, long[] out, double[] roi) {
        long[] in = cx.shape(0);
        int r = in.length;
        ElementType type = cx.type(0);
        if (OnnxTensor.elementCount(out) == 0) {
            cx.outConst(0, OnnxTensor.zeros(type, out));
            return;
        }
        if (cx.value(0).size() == 0) throw cx.unsupported("Resize of an empty tensor");
        boolean nearest = p.mode().equals("nearest");
        if (!nearest && !type.isFloat()) throw cx.unsupported("Resize mode %s of %s (float types only)", p.mode(), type);
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        boolean changed = false;
        for (int a = 0; a < r; a++) {
            boolean trivialRoi = roi == null || (Math.abs(roi[a]) < 1e-9 && Math.abs(roi[a + r] - 1) < 1e-9);
            if (Math.abs(scale[a] - 1.0) < 1e-9 && out[a] == in[a] && trivialRoi) continue;
            if (out[a] > Integer.MAX_VALUE / 4 || (long) out[a] * in[a] > (1L << 28)) {
                throw cx.unsupported("Resize axis %d from %d to %d is too large", a, in[a], out[a]);
            }
            Axis w = weights(p, (int) in[a], (int) out[a], scale[a], roi == null ? null : new double[] {roi[a], roi[a + r]});
            long[] xs = x.shape();
            long outer = Shapes.product(xs, 0, a), inner = Shapes.product(xs, a + 1, r);
            long[] ys = xs.clone();
            ys[a] = out[a];
            if (nearest) {
                OnnxTensor idx = OnnxTensor.zeros(ElementType.INT32, out[a]);
                for (int i = 0; i < out[a]; i++) idx.setLong(i, w.nearest[i]);
                x = b.gather(x, cx.constant(idx), new MLGatherOptions().withAxis(a));
            } else {
                OnnxTensor m = OnnxTensor.zeros(ElementType.fromWebNN(x.dataType()), out[a], in[a]);
                for (int i = 0; i < out[a]; i++) for (int j = 0; j < in[a]; j++) m.setDouble((int) (i * in[a] + j), w.matrix[i][j]);
                MLOperand x3 = Ops.reshape(cx, x, outer, in[a], inner);
                MLOperand y3 = b.matmul(cx.constant(m), x3);
                x = Ops.reshape(cx, y3, ys);
            }
            if (w.extrapolated != null) {
                long[] ms = new long[r];
                Arrays.fill(ms, 1);
                ms[a] = out[a];
                OnnxTensor mask = OnnxTensor.zeros(ElementType.BOOL, ms);
                for (int i = 0; i < out[a]; i++) mask.setLong(i, w.extrapolated[i] ? 1 : 0);
                x = b.where(cx.constant(mask), cx.scalar(x.dataType(), p.extrapolation()), x);
            }
            changed = true;
        }
        if (!changed) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, x, type);
    }

    /** Interpolation along one axis: a weight matrix [out][in], nearest indices, extrapolated outputs. */
    record Axis(double[][] matrix, int[] nearest, boolean[] extrapolated) {}

    static Axis weights(Params p, int in, int out, double scale, double[] roi) {
        double[][] m = new double[out][in];
        int[] nearestIdx = new int[out];
        boolean[] extrap = null;
        double outWidth = scale * in;
        for (int y = 0; y < out; y++) {
            double x;
            switch (p.coord()) {
                case "align_corners" -> x = outWidth == 1 ? 0 : y * (in - 1.0) / (outWidth - 1);
                case "asymmetric" -> x = y / scale;
                case "tf_half_pixel_for_nn" -> x = (y + 0.5) / scale;
                case "tf_crop_and_resize" -> {
                    double r0 = roi == null ? 0 : roi[0], r1 = roi == null ? 1 : roi[1];
                    x = outWidth == 1 ? (r1 - r0) * (in - 1) / 2.0 : y * (r1 - r0) * (in - 1) / (outWidth - 1);
                    x += r0 * (in - 1);
                    if (x < 0 || x > in - 1) {
                        if (extrap == null) extrap = new boolean[out];
                        extrap[y] = true;
                    }
                }
                case "pytorch_half_pixel" -> x = outWidth == 1 ? -0.5 : (y + 0.5) / scale - 0.5;
                case "half_pixel" -> x = (y + 0.5) / scale - 0.5;
                case "half_pixel_symmetric" -> {
                    double adjustment = out / outWidth;
                    double center = in / 2.0;
                    double offset = center * (1 - adjustment);
                    x = offset + (y + 0.5) / scale - 0.5;
                }
                default -> throw Shapes.error("coordinate_transformation_mode '%s'", p.coord());
            }
            double xi = Math.floor(x);
            double ratio = x == xi ? 1 : x - xi;
            double[] c = coefficients(p, ratio, scale, x, in);
            int n = c.length;
            int pad = (n + 1) / 2;
            double xp = x + pad;
            double pp = Math.floor(xp);
            double frac = xp - pp;
            long offset;
            if (n % 2 == 0) offset = frac == 0 ? -(n / 2) : -(n / 2) + 1;
            else offset = frac <= 0.5 ? -((n - 1) / 2) : -((n - 1) / 2) + 1;
            long start = (long) pp + offset;
            long[] idx = new long[n];
            for (int j = 0; j < n; j++) idx[j] = start + j - pad;
            if (p.exclude()) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    if (idx[j] < 0 || idx[j] >= in) c[j] = 0;
                    sum += c[j];
                }
                if (sum == 0) sum = 1;
                for (int j = 0; j < n; j++) c[j] /= sum;
            }
            int best = -1;
            for (int j = 0; j < n; j++) {
                int k = (int) Math.max(0, Math.min(in - 1, idx[j]));
                m[y][k] += c[j];
                if (c[j] != 0 && best < 0) best = k;
            }
            nearestIdx[y] = Math.max(best, 0);
        }
        return new Axis(m, nearestIdx, extrap);
    }

    private static double[] coefficients(Params p, double ratio, double scale, double x, int in) {
        switch (p.mode()) {
            case "nearest" -> {
                if (ratio == 1) return new double[] {0, 1};
                return switch (p.nearest()) {
                    case "round_prefer_floor" -> new double[] {ratio <= 0.5 ? 1 : 0, ratio > 0.5 ? 1 : 0};
                    case "round_prefer_ceil" -> new double[] {ratio < 0.5 ? 1 : 0, ratio >= 0.5 ? 1 : 0};
                    case "floor" -> new double[] {1, 0};
                    case "ceil" -> new double[] {0, 1};
                    // opset < 11 (ONNX Runtime's legacy rule): truncate when upsampling, ceil when downsampling
                    case "simple" -> scale < 1 ? new double[] {0, 1} : new double[] {1, 0};
                    default -> throw Shapes.error("nearest_mode '%s'", p.nearest());
                };
            }
            case "linear" -> {
                if (!p.antialias()) return new double[] {1 - ratio, ratio};
                double s = Math.min(scale, 1.0);
                int start = (int) (Math.floor(-1 / s) + 1);
                int footprint = 2 - 2 * start;
                double[] c = new double[footprint];
                double sum = 0;
                for (int i = 0; i < footprint; i++) {
                    double arg = ((start + i) - ratio) * s;
                    c[i] = Math.max(0, Math.min(1, 1 - Math.abs(arg)));
                    sum += c[i];
                }
                for (int i = 0; i < footprint; i++) c[i] /= sum;
                return c;
            }
            case "cubic" -> {
                double a = p.cubicA();
                if (!p.antialias()) {
                    return new double[] {
                        ((a * (ratio + 1) - 5 * a) * (ratio + 1) + 8 * a) * (ratio + 1) - 4 * a,
                        ((a + 2) * ratio - (a + 3)) * ratio * ratio + 1,
                        ((a + 2) * (1 - ratio) - (a + 3)) * (1 - ratio) * (1 - ratio) + 1,
                        ((a * ((1 - ratio) + 1) - 5 * a) * ((1 - ratio) + 1) + 8 * a) * ((1 - ratio) + 1) - 4 * a,
                    };
                }
                double s = Math.min(scale, 1.0);
                int iStart = (int) (Math.floor(-2 / s) + 1);
                int iEnd = 2 - iStart;
                double[] c = new double[iEnd - iStart];
                double sum = 0;
                for (int i = iStart; i < iEnd; i++) {
                    double v = Math.abs(s * (i - ratio));
                    double v2 = v * v, v3 = v2 * v;
                    double w = v <= 1 ? (a + 2) * v3 - (a + 3) * v2 + 1 : v < 2 ? a * v3 - 5 * a * v2 + 8 * a * v - 4 * a : 0;
                    c[i - iStart] = w;
                    sum += w;
                }
                for (int i = 0; i < c.length; i++) c[i] /= sum;
                return c;
            }
            default -> throw Shapes.error("Resize mode '%s'", p.mode());
        }
    }
}
