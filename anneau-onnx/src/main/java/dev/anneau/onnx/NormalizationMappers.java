package dev.anneau.onnx;

import dev.anneau.webnn.MLBatchNormalizationOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLInstanceNormalizationOptions;
import dev.anneau.webnn.MLLayerNormalizationOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import java.util.Arrays;

/** BatchNormalization (inference and training mode), InstanceNormalization, LayerNormalization, GroupNormalization, LRN. */
final class NormalizationMappers {
    private NormalizationMappers() {}

    static void register(MapperRegistry r) {
        r.register("BatchNormalization", NormalizationMappers::batchNorm);
        r.register("InstanceNormalization", NormalizationMappers::instanceNorm);
        r.register("LayerNormalization", NormalizationMappers::layerNorm);
        r.register("GroupNormalization", NormalizationMappers::groupNorm);
        r.register("LRN", NormalizationMappers::lrn);
    }

    private static void batchNorm(NodeContext cx) {
        double eps = cx.attrFloat("epsilon", 1e-5f);
        float momentum = cx.attrFloat("momentum", 0.9f);
        cx.ignore("consumed_inputs");
        if (cx.attrInt("spatial", 1) == 0) throw cx.unsupported("BatchNormalization with spatial=0");
        boolean training = cx.opset() >= 14 && cx.attrInt("training_mode", 0) != 0
                || cx.opset() < 7 && cx.attrInt("is_test", 0) == 0;
        if (cx.opset() < 14 && cx.opset() >= 7 && !training) {
            // opsets 7-13 produce running statistics only in training; with is_test gone they are optional outputs
            for (int i = 1; i < cx.outputCount(); i++) {
                if (cx.wantsOutput(i)) throw cx.unsupported("BatchNormalization training outputs (opset %d)", cx.opset());
            }
        }
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0), scale = cx.in(1), bias = cx.in(2), mean = cx.in(3), var = cx.in(4);
        if (!training) {
            MLOperand y = b.batchNormalization(x, mean, var,
                    new MLBatchNormalizationOptions().withScale(scale).withBias(bias).withAxis(1).withEpsilon(eps));
            cx.out(0, y, cx.type(0));
            return;
        }
        // training mode: normalize with the batch statistics (population variance), update running ones
        int r = x.rank();
        int[] axes = new int[r - 1];
        axes[0] = 0;
        for (int i = 2; i < r; i++) axes[i - 1] = i;
        MLReduceOptions o = new MLReduceOptions().withAxes(axes).withKeepDimensions(false);
        MLOperand bm = b.reduceMean(x, o);
        long[] cs = new long[r];
        Arrays.fill(cs, 1);
        cs[1] = x.shape()[1];
        MLOperand centered = b.sub(x, Ops.reshape(cx, bm, cs));
        MLOperand bv = b.reduceMean(b.mul(centered, centered), o);
        MLOperand y = b.batchNormalization(x, bm, bv,
                new MLBatchNormalizationOptions().withScale(scale).withBias(bias).withAxis(1).withEpsilon(eps));
        cx.out(0, y, cx.type(0));
        MLOperandDataType t = x.dataType();
        MLOperand m = cx.scalar(t, momentum), m1 = cx.scalar(t, 1 - (double) momentum);
        if (cx.wantsOutput(1)) cx.out(1, b.add(b.mul(mean, m), b.mul(bm, m1)), cx.type(3));
        if (cx.wantsOutput(2)) cx.out(2, b.add(b.mul(var, m), b.mul(bv, m1)), cx.type(4));
    }

    private static void instanceNorm(NodeContext cx) {
        double eps = cx.attrFloat("epsilon", 1e-5f);
        cx.ignore("consumed_inputs");
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        if (s.length < 3) throw cx.unsupported("InstanceNormalization needs rank >= 3, got %d", s.length);
        MLOperand in4 = s.length == 4 ? x : Ops.reshape(cx, x, s[0], s[1], Shapes.product(s, 2, s.length), 1);
        MLOperand y = cx.b().instanceNormalization(in4,
                new MLInstanceNormalizationOptions().withScale(cx.in(1)).withBias(cx.in(2)).withEpsilon(eps));
        cx.out(0, Ops.reshape(cx, y, s), cx.type(0));
    }

    private static void layerNorm(NodeContext cx) {
        double eps = cx.attrFloat("epsilon", 1e-5f);
        cx.ignore("stash_type");
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        int r = s.length;
        int axis = cx.axis(cx.attrInt("axis", -1), r);
        int[] axes = Ops.range(axis, r);
        long[] normShape = Arrays.copyOfRange(s, axis, r);
        MLGraphBuilder b = cx.b();
        MLOperand scale = fitTo(cx, cx.in(1), normShape);
        MLOperand bias = cx.has(2) ? fitTo(cx, cx.in(2), normShape) : null;
        MLLayerNormalizationOptions o = new MLLayerNormalizationOptions().withScale(scale).withAxes(axes).withEpsilon(eps);
        if (bias != null) o = o.withBias(bias);
        cx.out(0, b.layerNormalization(x, o), cx.type(0));
        if (cx.wantsOutput(1) || cx.wantsOutput(2)) {
            MLReduceOptions keep = new MLReduceOptions().withAxes(axes).withKeepDimensions(true);
            MLOperand mean = b.reduceMean(x, keep);
            MLOperand d = b.sub(x, mean);
            MLOperand var = b.reduceMean(b.mul(d, d), keep);
            MLOperand inv = b.reciprocal(b.sqrt(b.add(var, cx.scalar(var.dataType(), eps))));
            if (cx.wantsOutput(1)) cx.out(1, mean, cx.type(0));
            if (cx.wantsOutput(2)) cx.out(2, inv, cx.type(0));
        }
    }

    /** A scale/bias broadcastable to {@code shape}, made exactly that shape (as WebNN wants). */
    private static MLOperand fitTo(NodeContext cx, MLOperand v, long[] shape) {
        long[] vs = v.shape();
        if (Arrays.equals(vs, shape)) return v;
        long[] bshape = Shapes.broadcast(vs, shape);
        if (!Arrays.equals(bshape, shape)) throw cx.unsupported("scale/bias %s does not broadcast to %s", Arrays.toString(vs), Arrays.toString(shape));
        if (vs.length > shape.length) v = Ops.reshape(cx, v, shape.length == 0 ? new long[0] : Arrays.copyOfRange(vs, vs.length - shape.length, vs.length));
        return cx.b().expand(v, shape);
    }

    private static void groupNorm(NodeContext cx) {
        double eps = cx.attrFloat("epsilon", 1e-5f);
        long groups = cx.attrInt("num_groups", 0);
        cx.ignore("stash_type");
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        if (s.length < 3 || groups < 1 || s[1] % groups != 0) throw cx.unsupported("GroupNormalization of %s with %d groups", Arrays.toString(s), groups);
        MLGraphBuilder b = cx.b();
        long c = s[1];
        long spatial = Shapes.product(s, 2, s.length);
        MLOperand g = Ops.reshape(cx, x, s[0], groups, (c / groups) * spatial);
        MLOperand n = b.layerNormalization(g, new MLLayerNormalizationOptions().withAxes(2).withEpsilon(eps));
        MLOperand y = Ops.reshape(cx, n, s);
        MLOperand scale = cx.in(1), bias = cx.in(2);
        long[] cs = new long[s.length - 1];
        Arrays.fill(cs, 1);
        if (scale.shape()[0] == groups && groups != c) {
            // opset 18: one scale per group, repeated over the group's channels
            scale = b.expand(Ops.reshape(cx, scale, groups, 1), new long[] {groups, c / groups});
            bias = b.expand(Ops.reshape(cx, bias, groups, 1), new long[] {groups, c / groups});
        }
        cs[0] = c;
        y = b.add(b.mul(y, Ops.reshape(cx, scale, cs)), Ops.reshape(cx, bias, cs));
        cx.out(0, y, cx.type(0));
    }

    private static void lrn(NodeContext cx) {
        double alpha = cx.attrFloat("alpha", 1e-4f), beta = cx.attrFloat("beta", 0.75f), bias = cx.attrFloat("bias", 1f);
        long size = cx.attrInt("size", 0);
        if (size < 1) throw cx.unsupported("LRN size %d", size);
        MLOperand x = cx.in(0);
        long[] s = x.shape();
        if (s.length < 3) throw cx.unsupported("LRN needs rank >= 3");
        MLGraphBuilder b = cx.b();
        int c = (int) s[1];
        // window sum over channels as a band matrix product: sum[c] = sum_{c'} band[c][c'] x[c']^2
        OnnxTensor band = OnnxTensor.zeros(ElementType.fromWebNN(x.dataType()), c, c);
        long lo = (size - 1) / 2, hi = size - 1 - lo;
        for (int i = 0; i < c; i++) {
            for (long j = Math.max(0, i - lo); j <= Math.min(c - 1, i + hi); j++) band.setDouble((int) (i * (long) c + j), 1);
        }
        long spatial = Shapes.product(s, 2, s.length);
        MLOperand sq = Ops.reshape(cx, b.mul(x, x), s[0], c, spatial);
        MLOperand sum = Ops.reshape(cx, b.matmul(cx.constant(band), sq), s);
        MLOperandDataType t = x.dataType();
        MLOperand denom = b.pow(b.add(cx.scalar(t, bias), b.mul(cx.scalar(t, alpha / size), sum)), cx.scalar(t, beta));
        cx.out(0, b.div(x, denom), cx.type(0));
    }
}
