package dev.anneau.webnn;

import dev.anneau.webnn.ops.ElementwiseOps;
import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ElementwiseMethods {

    /** {@code add}: Element-wise add with bidirectional broadcasting. */
    default MLOperand add(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("add", a, b, options);
    }

    default MLOperand add(MLOperand a, MLOperand b) { return add(a, b, null); }

    /** {@code sub}: Element-wise sub with bidirectional broadcasting. */
    default MLOperand sub(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("sub", a, b, options);
    }

    default MLOperand sub(MLOperand a, MLOperand b) { return sub(a, b, null); }

    /** {@code mul}: Element-wise mul with bidirectional broadcasting. */
    default MLOperand mul(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("mul", a, b, options);
    }

    default MLOperand mul(MLOperand a, MLOperand b) { return mul(a, b, null); }

    /**
     * {@code div}: Element-wise div with bidirectional broadcasting. Integer types truncate toward
     * zero; integer division by zero gives 0 on the CPU backend (the spec leaves it undefined).
     */
    default MLOperand div(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("div", a, b, options);
    }

    default MLOperand div(MLOperand a, MLOperand b) { return div(a, b, null); }

    /** {@code max}: Element-wise max with bidirectional broadcasting. */
    default MLOperand max(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("max", a, b, options);
    }

    default MLOperand max(MLOperand a, MLOperand b) { return max(a, b, null); }

    /** {@code min}: Element-wise min with bidirectional broadcasting. */
    default MLOperand min(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("min", a, b, options);
    }

    default MLOperand min(MLOperand a, MLOperand b) { return min(a, b, null); }

    /**
     * {@code pow}: Element-wise pow with bidirectional broadcasting. Integer types are exact modulo
     * the type's width; a negative integer exponent gives the truncated value of 1/a^-b.
     */
    default MLOperand pow(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return binaryOp("pow", a, b, options);
    }

    default MLOperand pow(MLOperand a, MLOperand b) { return pow(a, b, null); }

    /** {@code equal}: Element-wise equal; the output is uint8 (0 or 1). */
    default MLOperand equal(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("equal", a, b, options);
    }

    default MLOperand equal(MLOperand a, MLOperand b) { return equal(a, b, null); }

    /** {@code notEqual}: Element-wise notEqual; the output is uint8 (0 or 1). */
    default MLOperand notEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("notEqual", a, b, options);
    }

    default MLOperand notEqual(MLOperand a, MLOperand b) { return notEqual(a, b, null); }

    /** {@code greater}: Element-wise greater; the output is uint8 (0 or 1). */
    default MLOperand greater(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("greater", a, b, options);
    }

    default MLOperand greater(MLOperand a, MLOperand b) { return greater(a, b, null); }

    /** {@code greaterOrEqual}: Element-wise greaterOrEqual; the output is uint8 (0 or 1). */
    default MLOperand greaterOrEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("greaterOrEqual", a, b, options);
    }

    default MLOperand greaterOrEqual(MLOperand a, MLOperand b) { return greaterOrEqual(a, b, null); }

    /** {@code lesser}: Element-wise lesser; the output is uint8 (0 or 1). */
    default MLOperand lesser(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("lesser", a, b, options);
    }

    default MLOperand lesser(MLOperand a, MLOperand b) { return lesser(a, b, null); }

    /** {@code lesserOrEqual}: Element-wise lesserOrEqual; the output is uint8 (0 or 1). */
    default MLOperand lesserOrEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("lesserOrEqual", a, b, options);
    }

    default MLOperand lesserOrEqual(MLOperand a, MLOperand b) { return lesserOrEqual(a, b, null); }

    /** {@code logicalAnd}: Element-wise logicalAnd; the output is uint8 (0 or 1). */
    default MLOperand logicalAnd(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("logicalAnd", a, b, options);
    }

    default MLOperand logicalAnd(MLOperand a, MLOperand b) { return logicalAnd(a, b, null); }

    /** {@code logicalOr}: Element-wise logicalOr; the output is uint8 (0 or 1). */
    default MLOperand logicalOr(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("logicalOr", a, b, options);
    }

    default MLOperand logicalOr(MLOperand a, MLOperand b) { return logicalOr(a, b, null); }

    /** {@code logicalXor}: Element-wise logicalXor; the output is uint8 (0 or 1). */
    default MLOperand logicalXor(MLOperand a, MLOperand b, MLOperatorOptions options) {
        return logicalOp("logicalXor", a, b, options);
    }

    default MLOperand logicalXor(MLOperand a, MLOperand b) { return logicalXor(a, b, null); }

    /** {@code logicalNot}: Element-wise logicalNot; the output is uint8 (0 or 1). */
    default MLOperand logicalNot(MLOperand a, MLOperatorOptions options) {
        return logicalOp("logicalNot", a, options);
    }

    default MLOperand logicalNot(MLOperand a) { return logicalNot(a, null); }

    /** {@code isNaN}: Element-wise isNaN; the output is uint8 (0 or 1); integer inputs give 0. */
    default MLOperand isNaN(MLOperand a, MLOperatorOptions options) {
        return logicalOp("isNaN", a, options);
    }

    default MLOperand isNaN(MLOperand a) { return isNaN(a, null); }

    /** {@code isInfinite}: Element-wise isInfinite; the output is uint8 (0 or 1); integer inputs give 0. */
    default MLOperand isInfinite(MLOperand a, MLOperatorOptions options) {
        return logicalOp("isInfinite", a, options);
    }

    default MLOperand isInfinite(MLOperand a) { return isInfinite(a, null); }

    /** {@code abs}: Element-wise abs. */
    default MLOperand abs(MLOperand input, MLOperatorOptions options) {
        return unaryOp("abs", input, options);
    }

    default MLOperand abs(MLOperand input) { return abs(input, null); }

    /** {@code ceil}: Element-wise ceil. */
    default MLOperand ceil(MLOperand input, MLOperatorOptions options) {
        return unaryOp("ceil", input, options);
    }

    default MLOperand ceil(MLOperand input) { return ceil(input, null); }

    /** {@code cos}: Element-wise cos. */
    default MLOperand cos(MLOperand input, MLOperatorOptions options) {
        return unaryOp("cos", input, options);
    }

    default MLOperand cos(MLOperand input) { return cos(input, null); }

    /** {@code erf}: Element-wise erf. */
    default MLOperand erf(MLOperand input, MLOperatorOptions options) {
        return unaryOp("erf", input, options);
    }

    default MLOperand erf(MLOperand input) { return erf(input, null); }

    /** {@code exp}: Element-wise exp. */
    default MLOperand exp(MLOperand input, MLOperatorOptions options) {
        return unaryOp("exp", input, options);
    }

    default MLOperand exp(MLOperand input) { return exp(input, null); }

    /** {@code floor}: Element-wise floor. */
    default MLOperand floor(MLOperand input, MLOperatorOptions options) {
        return unaryOp("floor", input, options);
    }

    default MLOperand floor(MLOperand input) { return floor(input, null); }

    /** {@code identity}: Element-wise identity. */
    default MLOperand identity(MLOperand input, MLOperatorOptions options) {
        return unaryOp("identity", input, options);
    }

    default MLOperand identity(MLOperand input) { return identity(input, null); }

    /** {@code log}: Element-wise log. */
    default MLOperand log(MLOperand input, MLOperatorOptions options) {
        return unaryOp("log", input, options);
    }

    default MLOperand log(MLOperand input) { return log(input, null); }

    /** {@code neg}: Element-wise neg. */
    default MLOperand neg(MLOperand input, MLOperatorOptions options) {
        return unaryOp("neg", input, options);
    }

    default MLOperand neg(MLOperand input) { return neg(input, null); }

    /** {@code reciprocal}: Element-wise reciprocal. */
    default MLOperand reciprocal(MLOperand input, MLOperatorOptions options) {
        return unaryOp("reciprocal", input, options);
    }

    default MLOperand reciprocal(MLOperand input) { return reciprocal(input, null); }

    /** {@code sin}: Element-wise sin. */
    default MLOperand sin(MLOperand input, MLOperatorOptions options) {
        return unaryOp("sin", input, options);
    }

    default MLOperand sin(MLOperand input) { return sin(input, null); }

    /** {@code sign}: Element-wise sign: -1, 0 or 1 (NaN stays NaN, -0 stays -0). */
    default MLOperand sign(MLOperand input, MLOperatorOptions options) {
        return unaryOp("sign", input, options);
    }

    default MLOperand sign(MLOperand input) { return sign(input, null); }

    /** {@code sqrt}: Element-wise sqrt. */
    default MLOperand sqrt(MLOperand input, MLOperatorOptions options) {
        return unaryOp("sqrt", input, options);
    }

    default MLOperand sqrt(MLOperand input) { return sqrt(input, null); }

    /** {@code tan}: Element-wise tan. */
    default MLOperand tan(MLOperand input, MLOperatorOptions options) {
        return unaryOp("tan", input, options);
    }

    default MLOperand tan(MLOperand input) { return tan(input, null); }

    /** {@code roundEven}: Element-wise rounding to the nearest integer, halves to even. */
    default MLOperand roundEven(MLOperand input, MLOperatorOptions options) {
        return unaryOp("roundEven", input, options);
    }

    default MLOperand roundEven(MLOperand input) { return roundEven(input, null); }

    /**
     * {@code cast}: Converts to another data type (any to any; int4/uint4 as extension). Float to
     * integer truncates toward zero; out-of-range values (implementation-defined by the spec)
     * saturate to the target range and NaN gives 0 on the CPU backend. Integer to integer keeps
     * the low bits (two's complement); anything to float rounds once to nearest even.
     */
    default MLOperand cast(MLOperand input, MLOperandDataType type, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("cast", options);
        TensorType in = b.use(check, "input", input);
        TensorType out = ElementwiseOps.cast(check, in, type);
        return b.emit(check, null, List.of(input), out)[0];
    }

    default MLOperand cast(MLOperand input, MLOperandDataType type) { return cast(input, type, null); }

    /** {@code where}: Selects trueValue where condition is non-zero, else falseValue, with broadcasting. */
    default MLOperand where(MLOperand condition, MLOperand trueValue, MLOperand falseValue, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("where", options);
        TensorType c = b.use(check, "condition", condition);
        TensorType t = b.use(check, "trueValue", trueValue);
        TensorType f = b.use(check, "falseValue", falseValue);
        TensorType out = ElementwiseOps.where(check, c, t, f);
        return b.emit(check, null, List.of(condition, trueValue, falseValue), out)[0];
    }

    default MLOperand where(MLOperand condition, MLOperand trueValue, MLOperand falseValue) { return where(condition, trueValue, falseValue, null); }

    // ------------------------------------------------------------------ shared steps

    /** The spec's "create an element-wise binary operation": inputs (a, b). */
    private MLOperand binaryOp(String op, MLOperand a, MLOperand b, MLOperatorOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin(op, options);
        TensorType ta = builder.use(check, "a", a);
        TensorType tb = builder.use(check, "b", b);
        TensorType out = ElementwiseOps.binary(check, ta, tb);
        return builder.emit(check, null, List.of(a, b), out)[0];
    }

    /** The spec's "create an element-wise logical operation" with two operands: inputs (a, b), uint8 output. */
    private MLOperand logicalOp(String op, MLOperand a, MLOperand b, MLOperatorOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin(op, options);
        TensorType ta = builder.use(check, "a", a);
        TensorType tb = builder.use(check, "b", b);
        TensorType out = ElementwiseOps.logical(check, ta, tb);
        return builder.emit(check, null, List.of(a, b), out)[0];
    }

    /** The spec's "create an element-wise logical operation" with one operand: input (a), uint8 output. */
    private MLOperand logicalOp(String op, MLOperand a, MLOperatorOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin(op, options);
        TensorType ta = builder.use(check, "a", a);
        TensorType out = ElementwiseOps.logical(check, ta);
        return builder.emit(check, null, List.of(a), out)[0];
    }

    /** The spec's "create an element-wise unary operation": input (input), same type and shape out. */
    private MLOperand unaryOp(String op, MLOperand input, MLOperatorOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin(op, options);
        TensorType in = builder.use(check, "input", input);
        TensorType out = ElementwiseOps.unary(check, in);
        return builder.emit(check, null, List.of(input), out)[0];
    }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
