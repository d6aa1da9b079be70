package dev.anneau.onnx;

import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Elementwise arithmetic, comparison and logic, Where, Cast, Identity, Dropout. ONNX and WebNN
 * broadcast the same way (NumPy); opset &lt; 7's {@code broadcast}/{@code axis} attributes are
 * turned into a reshape. ONNX bool is WebNN uint8: comparisons give uint8 0/1 and logical
 * operators read uint8.
 */
final class ElementwiseMappers {
    private ElementwiseMappers() {}

    static void register(MapperRegistry r) {
        r.register("Add", cx -> binary(cx, (a, b) -> cx.b().add(a, b)));
        r.register("Sub", cx -> binary(cx, (a, b) -> cx.b().sub(a, b)));
        r.register("Mul", cx -> binary(cx, (a, b) -> cx.b().mul(a, b)));
        r.register("Div", cx -> binary(cx, (a, b) -> cx.b().div(a, b)));
        r.register("Pow", ElementwiseMappers::pow);
        r.register("Max", cx -> variadic(cx, (a, b) -> cx.b().max(a, b)));
        r.register("Min", cx -> variadic(cx, (a, b) -> cx.b().min(a, b)));
        r.register("Sum", cx -> variadic(cx, (a, b) -> cx.b().add(a, b)));
        r.register("Mean", ElementwiseMappers::mean);
        r.register("Mod", ElementwiseMappers::mod);
        r.register("Equal", cx -> compare(cx, (a, b) -> cx.b().equal(a, b)));
        r.register("Greater", cx -> compare(cx, (a, b) -> cx.b().greater(a, b)));
        r.register("GreaterOrEqual", cx -> compare(cx, (a, b) -> cx.b().greaterOrEqual(a, b)));
        r.register("Less", cx -> compare(cx, (a, b) -> cx.b().lesser(a, b)));
        r.register("LessOrEqual", cx -> compare(cx, (a, b) -> cx.b().lesserOrEqual(a, b)));
        r.register("And", cx -> logical(cx, (a, b) -> cx.b().logicalAnd(a, b)));
        r.register("Or", cx -> logical(cx, (a, b) -> cx.b().logicalOr(a, b)));
        r.register("Xor", cx -> logical(cx, (a, b) -> cx.b().logicalXor(a, b)));
        r.register("Not", cx -> cx.out(0, cx.b().logicalNot(cx.in(0)), ElementType.BOOL));
        r.register("IsNaN", cx -> cx.out(0, cx.b().isNaN(cx.in(0)), ElementType.BOOL));
        r.register("IsInf", ElementwiseMappers::isInf);
        r.register("Abs", cx -> unary(cx, x -> cx.b().abs(x)));
        r.register("Neg", cx -> unary(cx, x -> cx.b().neg(x)));
        r.register("Sqrt", cx -> unary(cx, x -> cx.b().sqrt(x)));
        r.register("Exp", cx -> unary(cx, x -> cx.b().exp(x)));
        r.register("Log", cx -> unary(cx, x -> cx.b().log(x)));
        r.register("Erf", cx -> unary(cx, x -> cx.b().erf(x)));
        r.register("Sin", cx -> unary(cx, x -> cx.b().sin(x)));
        r.register("Cos", cx -> unary(cx, x -> cx.b().cos(x)));
        r.register("Tan", cx -> unary(cx, x -> cx.b().tan(x)));
        r.register("Floor", cx -> unary(cx, x -> cx.b().floor(x)));
        r.register("Ceil", cx -> unary(cx, x -> cx.b().ceil(x)));
        r.register("Round", cx -> unary(cx, x -> cx.b().roundEven(x)));
        r.register("Reciprocal", cx -> unary(cx, x -> cx.b().reciprocal(x)));
        r.register("Sign", cx -> unary(cx, x -> cx.b().sign(x)));
        r.register("Where", ElementwiseMappers::where);
        r.register("Cast", ElementwiseMappers::cast);
        r.register("CastLike", cx -> {
            cx.ignore("saturate", "round_mode");
            cx.out(0, Ops.castTo(cx, cx.in(0), cx.type(0), cx.type(1)), cx.type(1));
        });
        r.register("Identity", cx -> cx.outValue(0, cx.value(0)));
        r.register("Dropout", ElementwiseMappers::dropout);
    }

    /** The second operand of a binary op, reshaped for opset &lt; 7 legacy broadcasting. */
    static MLOperand legacyB(NodeContext cx, MLOperand b) {
        long broadcast = cx.attrInt("broadcast", 0);
        cx.ignore("consumed_inputs");
        if (broadcast != 0 && cx.hasAttr("axis")) {
            long[] s = ConstEval.legacyBroadcastShape(cx.shape(0), b.shape(), (int) cx.attrInt("axis", 0));
            return Ops.reshape(cx, b, s);
        }
        cx.ignore("axis");
        return b;
    }

    static void binary(NodeContext cx, BinaryOperator<MLOperand> f) {
        MLOperand a = cx.in(0);
        MLOperand b = legacyB(cx, cx.in(1));
        cx.out(0, f.apply(a, b), cx.type(0));
    }

    private static void unary(NodeContext cx, UnaryOperator<MLOperand> f) {
        cx.ignore("consumed_inputs");
        cx.out(0, f.apply(cx.in(0)), cx.type(0));
    }

    private static void variadic(NodeContext cx, BinaryOperator<MLOperand> f) {
        cx.ignore("consumed_inputs");
        MLOperand acc = cx.in(0);
        if (cx.inputCount() == 1) {
            cx.outValue(0, cx.value(0));
            return;
        }
        for (int i = 1; i < cx.inputCount(); i++) acc = f.apply(acc, cx.in(i));
        cx.out(0, acc, cx.type(0));
    }

    private static void mean(NodeContext cx) {
        cx.ignore("consumed_inputs");
        MLOperand acc = cx.in(0);
        for (int i = 1; i < cx.inputCount(); i++) acc = cx.b().add(acc, cx.in(i));
        if (cx.inputCount() > 1) acc = cx.b().div(acc, cx.scalar(acc.dataType(), cx.inputCount()));
        cx.out(0, acc, cx.type(0));
    }

    private static void pow(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        MLOperand y = legacyB(cx, cx.in(1));
        ElementType tx = cx.type(0), ty = cx.type(1);
        if (tx == ty) {
            cx.out(0, b.pow(x, y), tx);
        } else if (tx.isFloat()) {
            cx.out(0, b.pow(x, Ops.cast(cx, y, x.dataType())), tx);
        } else if (ty.isFloat()) {
            // integer base, float exponent: the reference computes in double and casts back
            MLOperand r = b.pow(Ops.cast(cx, x, y.dataType()), y);
            cx.out(0, Ops.cast(cx, r, x.dataType()), tx);
        } else {
            cx.out(0, b.pow(x, Ops.cast(cx, y, x.dataType())), tx);
        }
    }

    private static void mod(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        boolean fmod = cx.attrInt("fmod", 0) != 0;
        MLOperand a = cx.in(0), d = cx.in(1);
        ElementType t = cx.type(0);
        if (t.isFloat() && !fmod) throw cx.unsupported("Mod with fmod=0 is only defined for integers");
        // truncated remainder r = a - trunc(a / d) * d
        MLOperand q = b.div(a, d);
        if (t.isFloat()) {
            MLOperand zero = cx.scalar(q.dataType(), 0);
            q = b.where(b.lesser(q, zero), b.ceil(q), b.floor(q));
        }
        MLOperand r = b.sub(a, b.mul(q, d));
        if (!fmod && t.isSigned()) {
            // floored modulo: add d where r != 0 and sign(r) != sign(d)
            MLOperand zero = cx.scalar(r.dataType(), 0);
            MLOperand fix = b.logicalAnd(b.notEqual(r, zero), b.notEqual(b.lesser(r, zero), b.lesser(d, zero)));
            r = b.where(fix, b.add(r, d), r);
        }
        cx.out(0, r, t);
    }

    private static void compare(NodeContext cx, BinaryOperator<MLOperand> f) {
        MLOperand a = cx.in(0);
        MLOperand b = legacyB(cx, cx.in(1));
        cx.out(0, f.apply(a, b), ElementType.BOOL);
    }

    private static void logical(NodeContext cx, BinaryOperator<MLOperand> f) {
        MLOperand a = cx.in(0);
        MLOperand b = legacyB(cx, cx.in(1));
        cx.out(0, f.apply(a, b), ElementType.BOOL);
    }

    private static void isInf(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        boolean pos = cx.attrInt("detect_positive", 1) != 0;
        boolean neg = cx.attrInt("detect_negative", 1) != 0;
        MLOperand x = cx.in(0);
        MLOperand r;
        if (pos && neg) r = b.isInfinite(x);
        else if (pos) r = b.equal(x, cx.scalar(x.dataType(), Double.POSITIVE_INFINITY));
        else if (neg) r = b.equal(x, cx.scalar(x.dataType(), Double.NEGATIVE_INFINITY));
        else r = b.logicalAnd(b.isInfinite(x), cx.scalar(MLOperandDataType.UINT8, 0));
        cx.out(0, r, ElementType.BOOL);
    }

    private static void where(NodeContext cx) {
        MLOperand c = cx.in(0);
        cx.out(0, cx.b().where(c, cx.in(1), cx.in(2)), cx.type(1));
    }

    private static void cast(NodeContext cx) {
        int code = (int) cx.attrInt("to", 0);
        cx.ignore("saturate", "round_mode");
        ElementType to = ElementType.fromOnnx(code);
        if (to == null || to.webnn() == null) throw cx.unsupported("Cast to %s: no WebNN type", ElementType.describe(code));
        ElementType from = cx.type(0);
        MLOperand x = cx.in(0);
        if (from == to) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, Ops.castTo(cx, x, from, to), to);
    }

    private static void dropout(NodeContext cx) {
        cx.ignore("seed", "ratio", "consumed_inputs");
        if (cx.opset() < 7 && cx.attrInt("is_test", 0) == 0) {
            throw cx.unsupported("Dropout in training mode (is_test=0) is not supported");
        }
        cx.ignore("is_test");
        if (cx.has(2)) {
            if (!cx.isConst(2)) throw cx.unsupported("Dropout training_mode must be a constant");
            if (cx.constIn(2).getLong(0) != 0) throw cx.unsupported("Dropout in training mode is not supported");
        }
        cx.outValue(0, cx.value(0));
        if (cx.wantsOutput(1)) {
            MLGraphBuilder b = cx.b();
            MLOperand x = cx.in(0);
            // an all-true mask of the input's shape
            MLOperand one = b.equal(x, x);
            MLOperand mask = b.logicalOr(one, b.logicalNot(one));
            cx.out(1, mask, ElementType.BOOL);
        }
    }
}
