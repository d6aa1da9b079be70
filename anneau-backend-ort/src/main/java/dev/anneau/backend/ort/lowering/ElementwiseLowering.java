package dev.anneau.backend.ort.lowering;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.onnx.proto.Onnx.TensorProto.DataType;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import java.util.EnumSet;
import java.util.Set;

/**
 * ONNX lowerings of the elementwise family (see {@code dev.anneau.webnn.ElementwiseMethods}),
 * matching the CPU backend's documented choices ({@code ElementwiseKernels}) exactly:
 * <ul>
 * <li>add, sub, mul, max, min: the ONNX operators of the same name (integers wrap), except 64-bit
 *     max/min: ORT's int64 Max/Min (and Sign) kernels mis-order values whose low 32-bit halves
 *     differ in the top bit, so those are Where(Greater/Less) (ORT's comparisons are right).</li>
 * <li>div: ONNX Div (integers truncate toward zero). For integer types a divisor of 0 gives 0,
 *     and MIN / -1 gives MIN (two's complement wrap), as on the CPU backend; both are guarded
 *     with Where so ONNX Runtime never executes a trapping hardware division.</li>
 * <li>pow: ONNX Pow for float32/float16, with the CPU backend's (Java's and JavaScript's)
 *     special case: a base of ±1 with an infinite or NaN exponent gives NaN, where C's pow gives 1.
 *     ORT's integer Pow goes through {@code std::pow} in double and converts back, which neither
 *     wraps on overflow nor defines 0^-n, so integer pow is square-and-multiply over the
 *     exponent's bits (BitwiseAnd, Mul, Where: one step per bit of the type), exact modulo the
 *     type's width; a negative exponent gives the truncated 1/a^-b (1 for a = 1, ±1 for a = -1,
 *     else 0), as on the CPU backend.</li>
 * <li>comparisons: the ONNX comparison (bool), then Cast to uint8; notEqual is Not(Equal), so NaN
 *     is unequal to everything. Unsigned types compare unsigned.</li>
 * <li>logical operators: each uint8 operand is Cast to bool (non-zero is true), the ONNX logical
 *     operator, then Cast to uint8.</li>
 * <li>isNaN/isInfinite: ONNX IsNaN/IsInf; integer inputs are Cast to float32 first (no integer is
 *     NaN or infinite, and every one is finite as float32), giving 0.</li>
 * <li>roundEven: ONNX Round (halves to even). sign: ONNX Sign, except that float ±0 and NaN
 *     are passed through unchanged as on the CPU backend (ORT's Sign gives 0 for NaN), and int64
 *     sign is Cast(x &gt; 0) - Cast(x &lt; 0).</li>
 * <li>cast: ONNX Cast, except float to integer, which is made to saturate as on the CPU backend:
 *     Clip to the largest/smallest source-type values inside the target range, Cast (which
 *     truncates toward zero), then Where for values beyond an unrepresentable bound (e.g. float32
 *     values ≥ 2^31 to int32) and for NaN, which gives 0. A bare ONNX Cast would leave these
 *     undefined (x86 gives the "integer indefinite" value). Integer to integer keeps the low bits;
 *     anything to float rounds once to nearest even. int4/uint4 are not registered.</li>
 * <li>where: the uint8 condition is Cast to bool. ORT's CPU Where has no int8, uint32 and uint64
 *     kernels: those run bit-identically as uint8, int32 and int64 (Cast between same-width
 *     integers keeps the bits).</li>
 * </ul>
 * float16 is registered wherever ORT runs it; where the CPU EP has no float16 kernel ORT itself
 * computes in float32 and rounds the result to float16 (its cast-insertion pass).
 */
public final class ElementwiseLowering {
    private ElementwiseLowering() {}

    static final Set<MLOperandDataType> ALL = LoweringRegistry.ALL;
    static final Set<MLOperandDataType> FLOATS = LoweringRegistry.FLOATS;
    static final Set<MLOperandDataType> SIGNED_AND_FLOATS = EnumSet.of(FLOAT32, FLOAT16, INT32, INT64, INT8);

    public static void register(LoweringRegistry registry) {
        for (String[] b : new String[][] {{"add", "Add"}, {"sub", "Sub"}, {"mul", "Mul"}}) {
            String onnx = b[1];
            registry.register(b[0], ALL, (op, cx) -> cx.op(onnx, cx.value(op.input(0)), cx.value(op.input(1)))
                    .out(cx.outputName(op.output(0))));
        }
        registry.register("max", ALL, (op, cx) -> maxMin(op, cx, true));
        registry.register("min", ALL, (op, cx) -> maxMin(op, cx, false));
        registry.register("div", ALL, ElementwiseLowering::div);
        registry.register("pow", ALL, ElementwiseLowering::pow);

        for (String[] c : new String[][] {{"equal", "Equal"}, {"greater", "Greater"}, {"greaterOrEqual", "GreaterOrEqual"},
                {"lesser", "Less"}, {"lesserOrEqual", "LessOrEqual"}}) {
            String onnx = c[1];
            registry.register(c[0], ALL, (op, cx) -> toUint8(cx, cx.apply(onnx, cx.value(op.input(0)), cx.value(op.input(1))),
                    cx.outputName(op.output(0))));
        }
        registry.register("notEqual", ALL, (op, cx) -> toUint8(cx,
                cx.apply("Not", cx.apply("Equal", cx.value(op.input(0)), cx.value(op.input(1)))), cx.outputName(op.output(0))));

        for (String[] l : new String[][] {{"logicalAnd", "And"}, {"logicalOr", "Or"}, {"logicalXor", "Xor"}}) {
            String onnx = l[1];
            registry.register(l[0], EnumSet.of(UINT8), (op, cx) -> toUint8(cx,
                    cx.apply(onnx, toBool(cx, op, 0), toBool(cx, op, 1)), cx.outputName(op.output(0))));
        }
        registry.register("logicalNot", EnumSet.of(UINT8), (op, cx) ->
                toUint8(cx, cx.apply("Not", toBool(cx, op, 0)), cx.outputName(op.output(0))));
        registry.register("isNaN", ALL, (op, cx) -> classify(op, cx, "IsNaN"));
        registry.register("isInfinite", ALL, (op, cx) -> classify(op, cx, "IsInf"));

        for (String[] u : new String[][] {{"ceil", "Ceil"}, {"cos", "Cos"}, {"erf", "Erf"}, {"exp", "Exp"},
                {"floor", "Floor"}, {"log", "Log"}, {"reciprocal", "Reciprocal"}, {"sin", "Sin"}, {"sqrt", "Sqrt"},
                {"tan", "Tan"}, {"roundEven", "Round"}}) {
            registry.register(u[0], FLOATS, unary(u[1]));
        }
        registry.register("abs", SIGNED_AND_FLOATS, unary("Abs"));
        registry.register("neg", SIGNED_AND_FLOATS, unary("Neg"));
        registry.register("sign", SIGNED_AND_FLOATS, ElementwiseLowering::sign);
        registry.register("identity", ALL, unary("Identity"));

        registry.register("cast", ALL, ElementwiseLowering::cast);
        registry.register("where", ALL, (op, cx) -> {
            String c = toBool(cx, op, 0);
            where(cx, op.output(0).dataType(), c, cx.value(op.input(1)), cx.value(op.input(2)), cx.outputName(op.output(0)));
        });
    }

    private static Lowering unary(String onnx) {
        return (op, cx) -> cx.op(onnx, cx.value(op.input(0))).out(cx.outputName(op.output(0)));
    }

    static String toBool(LoweringContext cx, Operation op, int input) {
        return cx.castTo(cx.value(op.input(input)), DataType.BOOL);
    }

    static void toUint8(LoweringContext cx, String bool, String out) {
        cx.op("Cast", bool).attr("to", DataType.UINT8.getNumber()).out(out);
    }

    private static void classify(Operation op, LoweringContext cx, String onnx) {
        String x = cx.value(op.input(0));
        if (!op.input(0).dataType().isFloatingPoint()) x = cx.cast(x, FLOAT32);
        toUint8(cx, cx.apply(onnx, x), cx.outputName(op.output(0)));
    }

    private static void pow(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.output(0).dataType();
        String a = cx.value(op.input(0)), b = cx.value(op.input(1));
        if (!t.isFloatingPoint()) {
            integerPow(cx, t, a, b, cx.outputName(op.output(0)));
            return;
        }
        String p = cx.apply("Pow", a, b);
        String unitBase = cx.apply("Equal", cx.apply("Abs", a), cx.scalar(t, 1));
        String nonFinite = cx.apply("Or", cx.apply("IsInf", b), cx.apply("IsNaN", b));
        cx.op("Where", cx.apply("And", unitBase, nonFinite), cx.scalar(t, Double.NaN), p).out(cx.outputName(op.output(0)));
    }

    private static void maxMin(Operation op, LoweringContext cx, boolean max) {
        MLOperandDataType t = op.output(0).dataType();
        String a = cx.value(op.input(0)), b = cx.value(op.input(1)), out = cx.outputName(op.output(0));
        if (t == INT64 || t == UINT64) {
            where(cx, t, cx.apply(max ? "Greater" : "Less", a, b), a, b, out);
        } else {
            cx.op(max ? "Max" : "Min", a, b).out(out);
        }
    }

    private static void integerPow(LoweringContext cx, MLOperandDataType t, String a, String e, String out) {
        String one = cx.scalar(t, 1);
        String result = one, base = a;
        String odd = null;
        int bits = t.bitWidth();
        for (int k = 0; k < bits; k++) {
            String mask = bits == 64 ? cx.scalarBits(t, 1L << k) : cx.scalarBits(t, (1L << k) & ((1L << bits) - 1));
            String bit = cx.castTo(cx.apply("BitwiseAnd", e, mask), DataType.BOOL);
            if (k == 0) odd = bit;
            result = where(cx, t, bit, cx.apply("Mul", result, base), result, null);
            if (k < bits - 1) base = cx.apply("Mul", base, base);
        }
        if (!t.isSigned()) {
            cx.op("Identity", result).out(out);
            return;
        }
        // negative exponent: 1 / a^-e truncated
        String zero = cx.scalar(t, 0), minusOne = cx.scalar(t, -1);
        String signOfOdd = where(cx, t, odd, minusOne, one, null);
        String reciprocal = where(cx, t, cx.apply("Equal", a, one), one,
                where(cx, t, cx.apply("Equal", a, minusOne), signOfOdd, zero, null), null);
        where(cx, t, cx.apply("Less", e, zero), reciprocal, result, out);
    }

    private static void sign(Operation op, LoweringContext cx) {
        String x = cx.value(op.input(0)), out = cx.outputName(op.output(0));
        MLOperandDataType t = op.input(0).dataType();
        if (t == INT64) {
            String zero = cx.scalar(t, 0);
            cx.op("Sub", cx.cast(cx.apply("Greater", x, zero), t), cx.cast(cx.apply("Less", x, zero), t)).out(out);
            return;
        }
        if (!t.isFloatingPoint()) {
            cx.op("Sign", x).out(out);
            return;
        }
        String zero = cx.scalar(t, 0);
        String keep = cx.apply("Not", cx.apply("Or", cx.apply("Greater", x, zero), cx.apply("Less", x, zero)));
        cx.op("Where", keep, x, cx.apply("Sign", x)).out(out);
    }

    // ------------------------------------------------------------------ where

    /**
     * The ONNX type ORT's CPU Where runs for a WebNN type: itself, or a same-width integer type
     * (Cast between them keeps the bits).
     */
    static MLOperandDataType whereCarrier(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> UINT8;
            case UINT32 -> INT32;
            case UINT64 -> INT64;
            default -> t;
        };
    }

    /** {@code out = Where(cond, a, b)} for values of WebNN type {@code type}; out null = a fresh name (returned). */
    static String where(LoweringContext cx, MLOperandDataType type, String cond, String a, String b, String out) {
        MLOperandDataType carrier = whereCarrier(type);
        if (carrier == type) {
            if (out == null) return cx.apply("Where", cond, a, b);
            cx.op("Where", cond, a, b).out(out);
            return out;
        }
        String r = cx.apply("Where", cond, cx.cast(a, carrier), cx.cast(b, carrier));
        if (out == null) return cx.cast(r, type);
        cx.op("Cast", r).attr("to", OnnxTypes.of(type).getNumber()).out(out);
        return out;
    }

    // ------------------------------------------------------------------ div

    private static void div(Operation op, LoweringContext cx) {
        MLOperandDataType t = op.output(0).dataType();
        String a = cx.value(op.input(0)), b = cx.value(op.input(1)), out = cx.outputName(op.output(0));
        if (t.isFloatingPoint()) {
            cx.op("Div", a, b).out(out);
            return;
        }
        // integer: never let the hardware divide by 0 (or MIN by -1, which traps on x86)
        String zero = cx.scalar(t, 0), one = cx.scalar(t, 1);
        String isZero = cx.apply("Equal", b, zero);
        String safe = where(cx, t, isZero, one, b, null);
        String q;
        if (t.isSigned()) {
            String minusOne = cx.scalar(t, -1);
            String isMinusOne = cx.apply("Equal", b, minusOne);
            safe = where(cx, t, isMinusOne, one, safe, null);
            // a / -1 = 0 - a, wrapping MIN to MIN
            q = where(cx, t, isMinusOne, cx.apply("Sub", zero, a), cx.apply("Div", a, safe), null);
        } else {
            q = cx.apply("Div", a, safe);
        }
        where(cx, t, isZero, zero, q, out);
    }

    // ------------------------------------------------------------------ cast

    private static void cast(Operation op, LoweringContext cx) {
        MLOperandDataType from = op.input(0).dataType(), to = op.output(0).dataType();
        String x = cx.value(op.input(0)), out = cx.outputName(op.output(0));
        if (from == to) {
            cx.op("Identity", x).out(out);
            return;
        }
        if (!from.isFloatingPoint() || to.isFloatingPoint()) {
            cx.op("Cast", x).attr("to", OnnxTypes.of(to).getNumber()).out(out);
            return;
        }
        // float -> integer: truncate toward zero, saturate, NaN -> 0
        double lo = integerMin(to), hi = integerMax(to);
        double loF = representableAtLeast(from, lo), hiF = representableAtMost(from, hi);
        String clipped = cx.apply("Clip", x, cx.scalar(from, loF), cx.scalar(from, hiF));
        String y = cx.cast(clipped, to);
        if (hiF != hi) {
            // values above the largest in-range source value saturate to the (unrepresentable) maximum
            y = where(cx, to, cx.apply("Greater", x, cx.scalar(from, hiF)), integerMaxScalar(cx, to), y, null);
        }
        if (loF != lo) {
            y = where(cx, to, cx.apply("Less", x, cx.scalar(from, loF)), cx.scalar(to, lo), y, null);
        }
        where(cx, to, cx.apply("IsNaN", x), cx.scalar(to, 0), y, out);
    }

    private static double integerMin(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> -128;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE; // -2^63, exact in double
            default -> 0;
        };
    }

    /** The exact maximum, as a double (2^64 - 1 and 2^63 - 1 are not exact: callers compare against representable values). */
    private static double integerMax(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 4294967295.0;
            case INT64 -> 9223372036854775807.0; // rounds to 2^63 in double
            case UINT64 -> 18446744073709551615.0; // rounds to 2^64 in double
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    private static String integerMaxScalar(LoweringContext cx, MLOperandDataType t) {
        return switch (t) {
            case INT64 -> cx.scalarBits(INT64, Long.MAX_VALUE);
            case UINT64 -> cx.scalarBits(UINT64, -1L);
            default -> cx.scalar(t, integerMax(t));
        };
    }

    /**
     * The largest value of float type {@code f} that is ≤ the integer bound {@code v} (127, 255,
     * 2^31 - 1, 2^32 - 1, or 2^63 / 2^64 standing for 2^63 - 1 / 2^64 - 1, which double rounds up).
     */
    static double representableAtMost(MLOperandDataType f, double v) {
        if (f == FLOAT16) return Math.min(v, 65504); // 127 and 255 are exact in float16
        float r = (float) v;
        return r >= v ? (r == v && v < 9.2e18 ? r : Math.nextDown(r)) : r;
    }

    /** The smallest value of float type {@code f} that is ≥ {@code v}. */
    static double representableAtLeast(MLOperandDataType f, double v) {
        if (f == FLOAT16 && v < -65504) return -65504;
        return v; // 0, -128, -2^31 and -2^63 are exact in float32 (and the first two in float16)
    }
}
