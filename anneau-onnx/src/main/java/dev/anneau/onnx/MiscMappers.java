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
