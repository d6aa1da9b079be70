package dev.anneau.onnx;

import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLEluOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLHardSigmoidOptions;
import dev.anneau.webnn.MLLeakyReluOptions;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;

/** Activations, Clip, Softmax/LogSoftmax (with opset &lt; 13's flatten-at-axis semantics), Gelu. */
final class ActivationMappers {
    private ActivationMappers() {}

    static void register(MapperRegistry r) {
        r.register("Relu", cx -> unary(cx, x -> cx.b().relu(x)));
        r.register("Sigmoid", cx -> unary(cx, x -> cx.b().sigmoid(x)));
        r.register("Tanh", cx -> unary(cx, x -> cx.b().tanh(x)));
        r.register("Softplus", cx -> unary(cx, x -> cx.b().softplus(x)));
        r.register("Softsign", cx -> unary(cx, x -> cx.b().softsign(x)));
        r.register("HardSwish", cx -> unary(cx, x -> cx.b().hardSwish(x)));
        r.register("LeakyRelu", cx -> {
            double alpha = cx.attrFloat("alpha", 0.01f);
            unary(cx, x -> cx.b().leakyRelu(x, new MLLeakyReluOptions().withAlpha(alpha)));
        });
        r.register("Elu", cx -> {
            double alpha = cx.attrFloat("alpha", 1f);
            unary(cx, x -> cx.b().elu(x, new MLEluOptions().withAlpha(alpha)));
        });
        r.register("Selu", cx -> {
            double alpha = cx.attrFloat("alpha", 1.67326319217681884765625f);
            double gamma = cx.attrFloat("gamma", 1.05070102214813232421875f);
            unary(cx, x -> cx.b().mul(cx.b().elu(x, new MLEluOptions().withAlpha(alpha)), cx.scalar(x.dataType(), gamma)));
        });
        r.register("Celu", cx -> {
            double alpha = cx.attrFloat("alpha", 1f);
            unary(cx, x -> {
                MLGraphBuilder b = cx.b();
                MLOperand a = cx.scalar(x.dataType(), alpha);
                return b.mul(b.elu(b.div(x, a)), a);
            });
        });
        r.register("HardSigmoid", cx -> {
            double alpha = cx.attrFloat("alpha", 0.2f), beta = cx.attrFloat("beta", 0.5f);
            unary(cx, x -> cx.b().hardSigmoid(x, new MLHardSigmoidOptions().withAlpha(alpha).withBeta(beta)));
        });
        r.register("ThresholdedRelu", cx -> {
            double alpha = cx.attrFloat("alpha", 1f);
            unary(cx, x -> {
                MLGraphBuilder b = cx.b();
                return b.where(b.greater(x, cx.scalar(x.dataType(), alpha)), x, cx.scalar(x.dataType(), 0));
            });
        });
        r.register("Mish", cx -> unary(cx, x -> cx.b().mul(x, cx.b().tanh(cx.b().softplus(x)))));
        r.register("Shrink", ActivationMappers::shrink);
        r.register("PRelu", ActivationMappers::prelu);
        r.register("Clip", ActivationMappers::clip);
        r.register("Gelu", ActivationMappers::gelu);
        r.register("Softmax", cx -> softmax(cx, false));
        r.register("LogSoftmax", cx -> softmax(cx, true));
    }

    private static void unary(NodeContext cx, java.util.function.UnaryOperator<MLOperand> f) {
        cx.ignore("consumed_inputs");
        cx.out(0, f.apply(cx.in(0)), cx.type(0));
    }

    private static void shrink(NodeContext cx) {
        double lambd = cx.attrFloat("lambd", 0.5f), bias = cx.attrFloat("bias", 0f);
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        MLOperandDataType t = x.dataType();
        if (!t.equals(MLOperandDataType.FLOAT32) && !t.equals(MLOperandDataType.FLOAT16)) {
            // integer shrink: compute in float32 and cast back (exact for the small integers it is used with)
            MLOperand xf = b.cast(x, MLOperandDataType.FLOAT32);
            cx.out(0, b.cast(shrinkFloat(cx, xf, lambd, bias), t), cx.type(0));
            return;
        }
        cx.out(0, shrinkFloat(cx, x, lambd, bias), cx.type(0));
    }

    private static MLOperand shrinkFloat(NodeContext cx, MLOperand x, double lambd, double bias) {
        MLGraphBuilder b = cx.b();
        MLOperandDataType t = x.dataType();
        MLOperand lo = b.lesser(x, cx.scalar(t, -lambd));
        MLOperand hi = b.greater(x, cx.scalar(t, lambd));
        MLOperand zero = cx.scalar(t, 0);
        return b.where(lo, b.add(x, cx.scalar(t, bias)), b.where(hi, b.sub(x, cx.scalar(t, bias)), zero));
    }

    private static void prelu(NodeContext cx) {
        cx.ignore("consumed_inputs");
        MLOperand x = cx.in(0), slope = cx.in(1);
        long[] xs = x.shape(), ss = slope.shape();
        // a per-channel slope [C] (or [C,1,..]) of older exporters: align it with axis 1
        if (ss.length == 1 && xs.length > 2 && ss[0] == xs[1] && ss[0] != xs[xs.length - 1]) {
            long[] t = new long[xs.length - 1];
            java.util.Arrays.fill(t, 1);
            t[0] = ss[0];
            slope = Ops.reshape(cx, slope, t);
        }
        cx.out(0, cx.b().prelu(x, slope), cx.type(0));
    }

    private static void clip(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        MLOperandDataType t = x.dataType();
        cx.ignore("consumed_inputs");
        Double lo = null, hi = null;
        MLOperand loOp = null, hiOp = null;
        if (cx.opset() < 11) {
            if (cx.hasAttr("min")) lo = (double) cx.attrFloat("min", 0);
            if (cx.hasAttr("max")) hi = (double) cx.attrFloat("max", 0);
        } else {
            if (cx.has(1)) {
                if (cx.isConst(1)) lo = cx.constIn(1).getDouble(0);
                else loOp = cx.in(1);
            }
            if (cx.has(2)) {
                if (cx.isConst(2)) hi = cx.constIn(2).getDouble(0);
                else hiOp = cx.in(2);
            }
        }
        boolean isFloat = t == MLOperandDataType.FLOAT32 || t == MLOperandDataType.FLOAT16;
        if (loOp == null && hiOp == null && isFloat && (lo == null || hi == null || lo <= hi)
                && (lo == null || !Double.isNaN(lo)) && (hi == null || !Double.isNaN(hi))) {
            MLClampOptions o = new MLClampOptions();
            if (lo != null) o = o.withMinValue(lo);
            if (hi != null) o = o.withMaxValue(hi);
            cx.out(0, b.clamp(x, o), cx.type(0));
            return;
        }
        // min(max(x, lo), hi), as the ONNX reference (min > max gives max everywhere)
        MLOperand y = x;
        if (loOp != null) y = b.max(y, loOp);
        else if (lo != null) y = b.max(y, cx.scalar(t, lo));
        if (hiOp != null) y = b.min(y, hiOp);
        else if (hi != null) y = b.min(y, cx.scalar(t, hi));
        if (y == x) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, y, cx.type(0));
    }

    private static void gelu(NodeContext cx) {
        String approx = cx.attrString("approximate", "none");
        MLOperand x = cx.in(0);
        MLGraphBuilder b = cx.b();
        if (approx.equals("none")) {
            cx.out(0, b.gelu(x), cx.type(0));
        } else if (approx.equals("tanh")) {
            MLOperandDataType t = x.dataType();
            MLOperand x3 = b.mul(b.mul(x, x), x);
            MLOperand inner = b.mul(cx.scalar(t, Math.sqrt(2 / Math.PI)), b.add(x, b.mul(cx.scalar(t, 0.044715), x3)));
            MLOperand y = b.mul(b.mul(cx.scalar(t, 0.5), x), b.add(cx.scalar(t, 1), b.tanh(inner)));
            cx.out(0, y, cx.type(0));
        } else {
            throw cx.unsupported("Gelu approximate='%s'", approx);
        }
    }

    private static void softmax(NodeContext cx, boolean log) {
        MLOperand x = cx.in(0);
        int r = x.rank();
        MLGraphBuilder b = cx.b();
        if (cx.opset() < 13) {
            // opset < 13: the input is seen as 2-D [prod(dims < axis), prod(dims >= axis)]
            int axis = r == 0 ? 0 : cx.axis(cx.attrInt("axis", 1), r);
            long[] s = x.shape();
            long[] flat = Shapes.flatten(s, axis);
            MLOperand f = Ops.reshape(cx, x, flat);
            MLOperand y = log ? logSoftmax(cx, f, 1) : b.softmax(f, 1);
            cx.out(0, Ops.reshape(cx, y, s), cx.type(0));
            return;
        }
        int axis = cx.axis(cx.attrInt("axis", -1), r);
        cx.out(0, log ? logSoftmax(cx, x, axis) : b.softmax(x, axis), cx.type(0));
    }

    /** x - max - log(sum(exp(x - max))) along {@code axis}: stable for large inputs. */
    static MLOperand logSoftmax(NodeContext cx, MLOperand x, int axis) {
        MLGraphBuilder b = cx.b();
        MLReduceOptions keep = new MLReduceOptions().withAxes(axis).withKeepDimensions(true);
        MLOperand shifted = b.sub(x, b.reduceMax(x, keep));
        return b.sub(shifted, b.log(b.reduceSum(b.exp(shifted), keep)));
    }
}
