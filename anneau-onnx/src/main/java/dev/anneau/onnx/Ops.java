package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLTransposeOptions;
import java.util.Arrays;

/** Small builder idioms the mappers share. */
final class Ops {
    private Ops() {}

    static MLOperand reshape(NodeContext cx, MLOperand x, long... shape) {
        if (Arrays.equals(x.shape(), shape)) return x;
        return cx.b().reshape(x, shape);
    }

    static MLOperand transpose(NodeContext cx, MLOperand x, int... perm) {
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        if (identity) return x;
        return cx.b().transpose(x, new MLTransposeOptions().withPermutation(perm));
    }

    static MLOperand cast(NodeContext cx, MLOperand x, MLOperandDataType t) {
        if (x.dataType() == t) return x;
        return cx.b().cast(x, t);
    }

    /** Casts to the WebNN type of an ONNX type; bool becomes {@code x != 0} as uint8. */
    static MLOperand castTo(NodeContext cx, MLOperand x, ElementType from, ElementType to) {
        if (to.webnn() == null) throw cx.unsupported("cast to %s: no WebNN type", to);
        if (to == ElementType.BOOL) {
            if (from == ElementType.BOOL) return x;
            MLGraphBuilder b = cx.b();
            return b.notEqual(x, cx.scalar(x.dataType(), 0));
        }
        if ((to == ElementType.INT4 || to == ElementType.UINT4) && from.isFloat()) {
            // ONNX wraps integers into 4 bits (-9 -> 7); WebNN's float cast saturates: truncate to int32 first
            return cast(cx, cast(cx, x, MLOperandDataType.INT32), to.webnn());
        }
        return cast(cx, x, to.webnn());
    }

    /** Inserts size-1 dimensions at the front so that {@code x} has rank {@code rank}. */
    static MLOperand toRank(NodeContext cx, MLOperand x, int rank) {
        long[] s = x.shape();
        if (s.length >= rank) return x;
        long[] t = new long[rank];
        Arrays.fill(t, 1);
        System.arraycopy(s, 0, t, rank - s.length, s.length);
        return reshape(cx, x, t);
    }

    static long[] shape(MLOperand x) { return x.shape(); }

    static int[] ints(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
        return out;
    }

    static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
