package dev.anneau.onnx;

import dev.anneau.webnn.MLArgMinMaxOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import java.util.Arrays;

/** Hardmax, LpNormalization, MeanVarianceNormalization and OneHot as small decompositions. */
final class MiscMappers {
    private MiscMappers() {}

    static void register(MapperRegistry r) {
        r.register("Hardmax", MiscMappers::hardmax);
        r.register("LpNormalization", MiscMappers::lpNormalization);
        r.register("MeanVarianceNormalization", MiscMappers::mvn);
        r.register("OneHot", MiscMappers::oneHot);
        r.register("RMSNormalization", 23, MapperRegistry.MAX_OPSET, MiscMappers::rmsNormalization);
        r.register("Swish", 24, MapperRegistry.MAX_OPSET, cx -> {
            double alpha = cx.attrFloat("alpha", 1f);
            MLOperand x = cx.in(0);
            MLOperand ax = alpha == 1 ? x : cx.b().mul(x, cx.scalar(x.dataType(), alpha));
            cx.out(0, cx.b().mul(x, cx.b().sigmoid(ax)), cx.type(0));
        });
        r.register("CenterCropPad", 18, MapperRegistry.MAX_OPSET, MiscMappers::centerCropPad);
    }

    private static void rmsNormalization(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        int r = x.rank();
        int axis = cx.axis(cx.attrInt("axis", -1), r);
        double eps = cx.attrFloat("epsilon", 1e-5f);
        if (cx.attrInt("stash_type", 1) != 1) throw cx.unsupported("RMSNormalization stash_type %d", cx.attrInt("stash_type", 1));
        MLOperand ms = b.reduceMean(b.mul(x, x), new MLReduceOptions().withAxes(Ops.range(axis, r)).withKeepDimensions(true));
        MLOperand inv = b.reciprocal(b.sqrt(b.add(ms, cx.scalar(x.dataType(), eps))));
        cx.out(0, b.mul(b.mul(x, inv), cx.in(1)), cx.type(0));
    }

    private static void centerCropPad(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        int r = s.length;
        long[] shape = cx.constLongs(1);
        long[] axesAttr = cx.attrInts("axes");
        int[] axes = new int[shape.length];
        for (int i = 0; i < axes.length; i++) axes[i] = axesAttr == null ? i : cx.axis(axesAttr[i], r);
        if (axesAttr == null && shape.length != r) throw cx.unsupported("CenterCropPad shape %s does not match rank %d", Arrays.toString(shape), r);
        int[] starts = new int[r], sizes = Ops.ints(s), padB = new int[r], padE = new int[r];
        boolean crop = false, pad = false;
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            long dim = s[a], want = shape[i];
            if (want < dim) {
                starts[a] = (int) ((dim - want) / 2);
                sizes[a] = (int) want;
                crop = true;
            } else if (want > dim) {
                padB[a] = (int) ((want - dim) / 2);
                padE[a] = (int) (want - dim - padB[a]);
                pad = true;
            }
        }
        MLOperand y = x;
        if (crop) y = b.slice(y, starts, sizes);
        if (pad) y = b.pad(y, padB, padE, new dev.anneau.webnn.MLPadOptions());
        if (y == x) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, y, cx.type(0));
    }

    /** An int64 constant counting 0..n-1 along {@code axis} of a rank-{@code rank} shape of ones. */
    private static OnnxTensor iota(long n, int axis, int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[axis] = n;
        OnnxTensor t = OnnxTensor.zeros(ElementType.INT64, s);
        for (int i = 0; i < n; i++) t.setLong(i, i);
        return t;
    }

    private static void hardmax(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        int r = s.length;
        MLOperand in = x;
        int axis;
        if (cx.opset() < 13) {
            int a = cx.axis(cx.attrInt("axis", 1), r);
            in = Ops.reshape(cx, x, Shapes.flatten(s, a));
            axis = 1;
        } else {
            axis = cx.axis(cx.attrInt("axis", -1), r);
        }
        long n = in.shape()[axis];
        MLOperand idx = b.argMax(in, axis, new MLArgMinMaxOptions().withKeepDimensions(true).withOutputDataType(MLOperandDataType.INT64));
        MLOperand hot = b.equal(idx, cx.constant(iota(n, axis, in.rank())));
        cx.out(0, Ops.reshape(cx, b.cast(hot, x.dataType()), s), cx.type(0));
    }

    private static void lpNormalization(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        int axis = cx.axis(cx.attrInt("axis", -1), x.rank());
        long p = cx.attrInt("p", 2);
        MLReduceOptions o = new MLReduceOptions().withAxes(axis).withKeepDimensions(true);
        MLOperand norm = switch ((int) p) {
            case 1 -> b.reduceL1(x, o);
            case 2 -> b.reduceL2(x, o);
            default -> throw cx.unsupported("LpNormalization p=%d (1 or 2)", p);
        };
        // as the reference: 0 where the norm is 0 (instead of 0/0)
        MLOperand zero = cx.scalar(x.dataType(), 0);
        cx.out(0, b.where(b.equal(norm, zero), zero, b.div(x, norm)), cx.type(0));
    }

    private static void mvn(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        long[] axes = cx.attrInts("axes");
        if (axes == null) axes = new long[] {0, 2, 3};
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) a[i] = cx.axis(axes[i], x.rank());
        MLReduceOptions o = new MLReduceOptions().withAxes(a).withKeepDimensions(true);
        MLOperandDataType t = x.dataType();
        // the ONNX function: (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9)
        MLOperand mean = b.reduceMean(x, o);
        MLOperand var = b.sub(b.reduceMean(b.mul(x, x), o), b.mul(mean, mean));
        MLOperand y = b.div(b.sub(x, mean), b.add(b.sqrt(var), cx.scalar(t, 1e-9)));
        cx.out(0, y, cx.type(0));
    }

    private static void oneHot(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand idx = cx.in(0);
        long depth = (long) cx.constScalar(1, 0);
        if (depth < 1) throw cx.unsupported("OneHot depth %d", depth);
        OnnxTensor values = cx.constIn(2);
        if (values.size() != 2) throw cx.unsupported("OneHot values must hold [off, on]");
        int r = idx.rank() + 1;
        int axis = cx.axis(cx.attrInt("axis", -1), r);
        long[] is = idx.shape();
        long[] us = new long[r];
        for (int i = 0, j = 0; i < r; i++) us[i] = i == axis ? 1 : is[j++];
        MLOperand i64 = Ops.cast(cx, idx, MLOperandDataType.INT64);
        if (cx.type(0).isSigned()) {
            i64 = b.where(b.lesser(i64, cx.scalar(MLOperandDataType.INT64, 0)), b.add(i64, cx.scalar(MLOperandDataType.INT64, depth)), i64);
        }
        MLOperand hot = b.equal(Ops.reshape(cx, i64, us), cx.constant(iota(depth, axis, r)));
        ElementType vt = values.type();
        OnnxTensor off = OnnxTensor.zeros(vt), on = OnnxTensor.zeros(vt);
        if (vt.isFloat()) {
            off.setDouble(0, values.getDouble(0));
            on.setDouble(0, values.getDouble(1));
        } else {
            off.setLong(0, values.getLong(0));
            on.setLong(0, values.getLong(1));
        }
        cx.out(0, b.where(hot, cx.constant(on), cx.constant(off)), vt);
    }
}
