package dev.anneau.backend.ort.lowering;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.onnx.proto.Onnx.TensorProto.DataType;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ActivationOps;
import java.util.EnumSet;
import java.util.Set;

/**
 * ONNX lowerings of the activation family (see {@code dev.anneau.webnn.ActivationMethods}),
 * matching the CPU backend ({@code ActivationKernels}); float16 runs in float32 inside ORT and is
 * rounded once.
 * <ul>
 * <li>relu: ONNX Relu; int32/int8 are Max(x, 0) (ORT's ReluClipFusion throws on a Relu followed
 *     by an integer Clip); int64 (no ORT kernel) is Where(x &gt; 0, x, 0).</li>
 * <li>clamp: ONNX Clip with the bounds (already cast to the input type by the builder) as
 *     constants; a NaN float bound bounds nothing (it becomes ∓Infinity). uint32, int64 and
 *     uint64 use Where(Less/Greater): ORT has no uint32/uint64 Clip, and its 64-bit min/max
 *     mis-order values whose low 32-bit halves differ in the top bit.</li>
 * <li>elu, gelu, leakyRelu, sigmoid, softplus, tanh: the ONNX operators of the same name
 *     (Gelu with {@code approximate="none"}); hardSigmoid, hardSwish, softsign likewise, with
 *     the CPU backend's limits: hardSwish(-Infinity) = 0 and softsign(±Infinity) = ±1 (plain
 *     ONNX formulas give NaN there).</li>
 * <li>linear: alpha * x + beta (Mul, Add).</li>
 * <li>prelu: bidirectional broadcast, so Where(x &gt; 0, x, slope * x + 0) rather than ONNX PRelu
 *     (whose slope only broadcasts to x); integers wrap.</li>
 * <li>softmax: ONNX Softmax along the axis.</li>
 * </ul>
 */
public final class ActivationLowering {
    private ActivationLowering() {}

    static final Set<MLOperandDataType> FLOATS = LoweringRegistry.FLOATS;

    public static void register(LoweringRegistry registry) {
        registry.register("relu", EnumSet.of(FLOAT32, FLOAT16, INT32, INT8, INT64), ActivationLowering::relu);
        registry.register("clamp", LoweringRegistry.ALL, ActivationLowering::clamp);
        registry.register("elu", FLOATS, ActivationLowering::elu);
        registry.register("gelu", FLOATS, ActivationLowering::gelu);
        registry.register("hardSigmoid", FLOATS, (op, cx) -> {
            ActivationOps.AlphaBeta a = op.attributes(ActivationOps.AlphaBeta.class);
            // max(min(alpha * x + beta, 1), 0) in double: alpha * x is exact there, so one rounding as on the CPU
            String x = wide(cx, in(op, cx));
            String v = cx.apply("Add", cx.apply("Mul", x, dbl(cx, a.alpha())), dbl(cx, a.beta()));
            narrow(cx, cx.apply("Clip", v, dbl(cx, 0), dbl(cx, 1)), op.output(0).dataType(), out(op, cx));
        });
        registry.register("hardSwish", FLOATS, ActivationLowering::hardSwish);
        registry.register("leakyRelu", FLOATS, (op, cx) -> cx.op("LeakyRelu", in(op, cx))
                .attr("alpha", (float) op.attributes(ActivationOps.Alpha.class).alpha()).out(out(op, cx)));
        registry.register("linear", FLOATS, (op, cx) -> {
            ActivationOps.AlphaBeta a = op.attributes(ActivationOps.AlphaBeta.class);
            // alpha * x + beta in double: the product is exact, so one rounding as on the CPU (float32 would
            // round twice, several ULP off where alpha * x and beta cancel)
            String ax = cx.apply("Mul", wide(cx, in(op, cx)), dbl(cx, a.alpha()));
            narrow(cx, cx.apply("Add", ax, dbl(cx, a.beta())), op.output(0).dataType(), out(op, cx));
        });
        registry.register("prelu", EnumSet.of(FLOAT32, FLOAT16, INT32, INT8, INT64), ActivationLowering::prelu);
        // ORT's float32 Sigmoid (an MLAS approximation) is 200 ULP off at x = -6; its double kernel is exact
        registry.register("sigmoid", FLOATS, (op, cx) ->
                narrow(cx, cx.apply("Sigmoid", wide(cx, in(op, cx))), op.output(0).dataType(), out(op, cx)));
        registry.register("softmax", FLOATS, (op, cx) -> cx.op("Softmax", in(op, cx))
                .attr("axis", (long) op.attributes(ActivationOps.Softmax.class).axis()).out(out(op, cx)));
        registry.register("softplus", FLOATS, (op, cx) -> cx.op("Softplus", in(op, cx)).out(out(op, cx)));
        registry.register("softsign", FLOATS, ActivationLowering::softsign);
        registry.register("tanh", FLOATS, (op, cx) -> cx.op("Tanh", in(op, cx)).out(out(op, cx)));
    }

    private static String in(Operation op, LoweringContext cx) { return cx.value(op.input(0)); }

    /** A 0-D double constant (WebNN has no float64 type, so LoweringContext.scalar cannot make one). */
    static String dbl(LoweringContext cx, double v) {
        return cx.initializer(dev.anneau.onnx.proto.Onnx.TensorProto.newBuilder().setDataType(DataType.DOUBLE.getNumber())
                .addDoubleData(v));
    }

    /** A float32/float16 value widened (exactly) to double. */
    static String wide(LoweringContext cx, String x) {
        return cx.castTo(x, DataType.DOUBLE);
    }

    /** A double value rounded to the output type and written to {@code out}. */
    static void narrow(LoweringContext cx, String v, MLOperandDataType t, String out) {
        cx.op("Cast", v).attr("to", OnnxTypes.of(t).getNumber()).out(out);
    }

    /**
     * elu: x &gt; 0 ? x : alpha * expm1(x) + 0, in double. ONNX has no Expm1 and ORT's float Elu computes
     * exp(x) - 1, which loses every digit for |x| &lt; 1e-7 (elu(-1e-8) came out 0); in double, exp(x) - 1
     * is accurate to float precision down to |x| = 1e-5, below which x + x^2/2 is (its error is x^3/6).
     */
    private static void elu(Operation op, LoweringContext cx) {
        double alpha = op.attributes(ActivationOps.Alpha.class).alpha();
        String x = wide(cx, in(op, cx));
        String exp = cx.apply("Sub", cx.apply("Exp", x), dbl(cx, 1));
        String taylor = cx.apply("Add", x, cx.apply("Mul", cx.apply("Mul", x, x), dbl(cx, 0.5)));
        String tiny = cx.apply("Less", cx.apply("Abs", x), dbl(cx, 1e-5));
        String expm1 = cx.apply("Where", tiny, taylor, exp);
        String neg = cx.apply("Add", cx.apply("Mul", expm1, dbl(cx, alpha)), dbl(cx, 0));
        String y = cx.apply("Where", cx.apply("Greater", x, dbl(cx, 0)), x, neg);
        narrow(cx, y, op.output(0).dataType(), out(op, cx));
    }

    /**
     * gelu: ONNX Gelu (exact erf form, computed by ORT in float32), with the CPU backend's limit
     * gelu(-Infinity) = -0 (the formula gives -Infinity * 0 = NaN). Like any float32 evaluation of
     * 0.5 * x * (1 + erf(x / sqrt(2))), values below about -5.5 underflow to -0 where the CPU
     * backend (erfc in double) gives tiny negative values.
     */
    private static void gelu(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.input(0).dataType();
        String x = in(op, cx);
        String g = cx.op("Gelu", x).attr("approximate", "none").out();
        String minusInf = cx.apply("Equal", x, cx.scalar(t, Double.NEGATIVE_INFINITY));
        cx.op("Where", minusInf, cx.scalar(t, -0.0), g).out(out(op, cx));
    }

    private static String out(Operation op, LoweringContext cx) { return cx.outputName(op.output(0)); }

    private static void relu(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.input(0).dataType();
        String x = in(op, cx);
        if (t == INT64) {
            String zero = cx.scalar(t, 0);
            cx.op("Where", cx.apply("Greater", x, zero), x, zero).out(out(op, cx));
        } else if (t == INT32 || t == INT8) {
            // not Relu: ORT's ReluClipFusion folds a Relu into a following Clip and throws at session creation
            // when that Clip is not float ("Unexpected data type for Clip 'min' input")
            cx.op("Max", x, cx.scalar(t, 0)).out(out(op, cx));
        } else {
            cx.op("Relu", x).out(out(op, cx));
        }
    }

    private static void clamp(Operation op, LoweringContext cx) {
        ActivationOps.Clamp c = op.attributes(ActivationOps.Clamp.class);
        MLOperandDataType t = op.input(0).dataType();
        String x = in(op, cx);
        if (t.isFloatingPoint()) {
            double lo = Double.isNaN(c.min()) ? Double.NEGATIVE_INFINITY : c.min();
            double hi = Double.isNaN(c.max()) ? Double.POSITIVE_INFINITY : c.max();
            cx.op("Clip", x, cx.scalar(t, lo), cx.scalar(t, hi)).out(out(op, cx));
            return;
        }
        if (t == INT8 || t == UINT8 || t == INT32) {
            cx.op("Clip", x, cx.scalar(t, c.minInteger()), cx.scalar(t, c.maxInteger())).out(out(op, cx));
            return;
        }
        String lo = cx.scalarBits(t, c.minInteger()), hi = cx.scalarBits(t, c.maxInteger());
        String y = ElementwiseLowering.where(cx, t, cx.apply("Less", x, lo), lo, x, null);
        ElementwiseLowering.where(cx, t, cx.apply("Greater", y, hi), hi, y, out(op, cx));
    }

    private static void hardSwish(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.input(0).dataType();
        String x = in(op, cx);
        // x * max(0, min(6, x + 3)) / 6 is 0 for x <= -3, also for -Infinity (ONNX's formula gives NaN)
        String zero = cx.scalar(t, 0);
        cx.op("Where", cx.apply("LessOrEqual", x, cx.scalar(t, -3)), zero, cx.apply("HardSwish", x)).out(out(op, cx));
    }

    private static void softsign(Operation op, LoweringContext cx) {
        String x = in(op, cx);
        // x / (1 + |x|) tends to ±1; Infinity / Infinity would be NaN
        cx.op("Where", cx.apply("IsInf", x), cx.apply("Sign", x), cx.apply("Softsign", x)).out(out(op, cx));
    }

    /** Inputs: input, slope (bidirectionally broadcast). */
    private static void prelu(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.input(0).dataType();
        String x = cx.value(op.input(0)), slope = cx.value(op.input(1));
        String zero = cx.scalar(t, 0);
        String neg = cx.apply("Mul", slope, x);
        // slope * x + 0 turns -0 into +0, as max(0, x) + slope * min(0, x) does
        if (t.isFloatingPoint()) neg = cx.apply("Add", neg, zero);
        ElementwiseLowering.where(cx, t, cx.apply("Greater", x, zero), x, neg, out(op, cx));
    }
}
