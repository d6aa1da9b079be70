package dev.anneau.onnx;

import dev.anneau.webnn.MLArgMinMaxOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import dev.anneau.webnn.MLReverseOptions;
import java.util.function.BiFunction;

/** Reduce* (axes as attribute or, from opset 18 / ReduceSum 13, as input) and ArgMax/ArgMin. */
final class ReductionMappers {
    private ReductionMappers() {}

    static void register(MapperRegistry r) {
        r.register("ReduceSum", cx -> reduce(cx, (x, o) -> cx.b().reduceSum(x, o)));
        r.register("ReduceMean", cx -> reduce(cx, (x, o) -> cx.b().reduceMean(x, o)));
        r.register("ReduceMax", cx -> reduce(cx, (x, o) -> cx.b().reduceMax(x, o)));
        r.register("ReduceMin", cx -> reduce(cx, (x, o) -> cx.b().reduceMin(x, o)));
        r.register("ReduceProd", cx -> reduce(cx, (x, o) -> cx.b().reduceProduct(x, o)));
        r.register("ReduceL1", cx -> reduce(cx, (x, o) -> cx.b().reduceL1(x, o)));
        r.register("ReduceL2", cx -> reduce(cx, (x, o) -> cx.b().reduceL2(x, o)));
        r.register("ReduceLogSum", cx -> reduce(cx, (x, o) -> cx.b().reduceLogSum(x, o)));
        r.register("ReduceLogSumExp", cx -> reduce(cx, (x, o) -> cx.b().reduceLogSumExp(x, o)));
        r.register("ReduceSumSquare", cx -> reduce(cx, (x, o) -> cx.b().reduceSumSquare(x, o)));
        r.register("ArgMax", cx -> arg(cx, true));
        r.register("ArgMin", cx -> arg(cx, false));
    }

    private static void reduce(NodeContext cx, BiFunction<MLOperand, MLReduceOptions, MLOperand> f) {
        long[] axes = ConstEval.reduceAxes(cx);
        boolean keep = cx.attrInt("keepdims", 1) != 0;
        boolean noop = cx.attrInt("noop_with_empty_axes", 0) != 0;
        if (axes != null && axes.length == 0) axes = null;
        if (axes == null && noop) {
            cx.outValue(0, cx.value(0));
            return;
        }
        int r = cx.rank(0);
        MLReduceOptions o = new MLReduceOptions().withKeepDimensions(keep);
        if (axes != null) {
            int[] a = new int[axes.length];
            for (int i = 0; i < a.length; i++) a[i] = cx.axis(axes[i], r);
            o = o.withAxes(a);
        }
        cx.out(0, f.apply(cx.in(0), o), cx.type(0));
    }

    private static void arg(NodeContext cx, boolean max) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        boolean keep = cx.attrInt("keepdims", 1) != 0;
        boolean last = cx.attrInt("select_last_index", 0) != 0;
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        if (last) x = b.reverse(x, new MLReverseOptions().withAxes(axis));
        MLArgMinMaxOptions o = new MLArgMinMaxOptions().withKeepDimensions(keep).withOutputDataType(MLOperandDataType.INT64);
        MLOperand y = max ? b.argMax(x, axis, o) : b.argMin(x, axis, o);
        if (last) y = b.sub(cx.scalar(MLOperandDataType.INT64, cx.shape(0)[axis] - 1), y);
        cx.out(0, y, ElementType.INT64);
    }
}
