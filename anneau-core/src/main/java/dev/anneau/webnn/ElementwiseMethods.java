package dev.anneau.webnn;

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
        throw new NotSupportedError("add is not implemented yet");
    }

    default MLOperand add(MLOperand a, MLOperand b) { return add(a, b, null); }

    /** {@code sub}: Element-wise sub with bidirectional broadcasting. */
    default MLOperand sub(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("sub is not implemented yet");
    }

    default MLOperand sub(MLOperand a, MLOperand b) { return sub(a, b, null); }

    /** {@code mul}: Element-wise mul with bidirectional broadcasting. */
    default MLOperand mul(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("mul is not implemented yet");
    }

    default MLOperand mul(MLOperand a, MLOperand b) { return mul(a, b, null); }

    /** {@code div}: Element-wise div with bidirectional broadcasting. */
    default MLOperand div(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("div is not implemented yet");
    }

    default MLOperand div(MLOperand a, MLOperand b) { return div(a, b, null); }

    /** {@code max}: Element-wise max with bidirectional broadcasting. */
    default MLOperand max(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("max is not implemented yet");
    }

    default MLOperand max(MLOperand a, MLOperand b) { return max(a, b, null); }

    /** {@code min}: Element-wise min with bidirectional broadcasting. */
    default MLOperand min(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("min is not implemented yet");
    }

    default MLOperand min(MLOperand a, MLOperand b) { return min(a, b, null); }

    /** {@code pow}: Element-wise pow with bidirectional broadcasting. */
    default MLOperand pow(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("pow is not implemented yet");
    }

    default MLOperand pow(MLOperand a, MLOperand b) { return pow(a, b, null); }

    /** {@code equal}: Element-wise equal; the output is uint8 (0 or 1). */
    default MLOperand equal(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("equal is not implemented yet");
    }

    default MLOperand equal(MLOperand a, MLOperand b) { return equal(a, b, null); }

    /** {@code notEqual}: Element-wise notEqual; the output is uint8 (0 or 1). */
    default MLOperand notEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("notEqual is not implemented yet");
    }

    default MLOperand notEqual(MLOperand a, MLOperand b) { return notEqual(a, b, null); }

    /** {@code greater}: Element-wise greater; the output is uint8 (0 or 1). */
    default MLOperand greater(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("greater is not implemented yet");
    }

    default MLOperand greater(MLOperand a, MLOperand b) { return greater(a, b, null); }

    /** {@code greaterOrEqual}: Element-wise greaterOrEqual; the output is uint8 (0 or 1). */
    default MLOperand greaterOrEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("greaterOrEqual is not implemented yet");
    }

    default MLOperand greaterOrEqual(MLOperand a, MLOperand b) { return greaterOrEqual(a, b, null); }

    /** {@code lesser}: Element-wise lesser; the output is uint8 (0 or 1). */
    default MLOperand lesser(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("lesser is not implemented yet");
    }

    default MLOperand lesser(MLOperand a, MLOperand b) { return lesser(a, b, null); }

    /** {@code lesserOrEqual}: Element-wise lesserOrEqual; the output is uint8 (0 or 1). */
    default MLOperand lesserOrEqual(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("lesserOrEqual is not implemented yet");
    }

    default MLOperand lesserOrEqual(MLOperand a, MLOperand b) { return lesserOrEqual(a, b, null); }

    /** {@code logicalAnd}: Element-wise logicalAnd; the output is uint8 (0 or 1). */
    default MLOperand logicalAnd(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("logicalAnd is not implemented yet");
    }

    default MLOperand logicalAnd(MLOperand a, MLOperand b) { return logicalAnd(a, b, null); }

    /** {@code logicalOr}: Element-wise logicalOr; the output is uint8 (0 or 1). */
    default MLOperand logicalOr(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("logicalOr is not implemented yet");
    }

    default MLOperand logicalOr(MLOperand a, MLOperand b) { return logicalOr(a, b, null); }

    /** {@code logicalXor}: Element-wise logicalXor; the output is uint8 (0 or 1). */
    default MLOperand logicalXor(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("logicalXor is not implemented yet");
    }

    default MLOperand logicalXor(MLOperand a, MLOperand b) { return logicalXor(a, b, null); }

    /** {@code logicalNot}: Element-wise logicalNot; the output is uint8 (0 or 1). */
    default MLOperand logicalNot(MLOperand a, MLOperatorOptions options) {
        throw new NotSupportedError("logicalNot is not implemented yet");
    }

    default MLOperand logicalNot(MLOperand a) { return logicalNot(a, null); }

    /** {@code isNaN}: Element-wise isNaN; the output is uint8 (0 or 1). */
    default MLOperand isNaN(MLOperand a, MLOperatorOptions options) {
        throw new NotSupportedError("isNaN is not implemented yet");
    }

    default MLOperand isNaN(MLOperand a) { return isNaN(a, null); }

    /** {@code isInfinite}: Element-wise isInfinite; the output is uint8 (0 or 1). */
    default MLOperand isInfinite(MLOperand a, MLOperatorOptions options) {
        throw new NotSupportedError("isInfinite is not implemented yet");
    }

    default MLOperand isInfinite(MLOperand a) { return isInfinite(a, null); }

    /** {@code abs}: Element-wise abs. */
    default MLOperand abs(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("abs is not implemented yet");
    }

    default MLOperand abs(MLOperand input) { return abs(input, null); }

    /** {@code ceil}: Element-wise ceil. */
    default MLOperand ceil(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("ceil is not implemented yet");
    }

    default MLOperand ceil(MLOperand input) { return ceil(input, null); }

    /** {@code cos}: Element-wise cos. */
    default MLOperand cos(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("cos is not implemented yet");
    }

    default MLOperand cos(MLOperand input) { return cos(input, null); }

    /** {@code erf}: Element-wise erf. */
    default MLOperand erf(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("erf is not implemented yet");
    }

    default MLOperand erf(MLOperand input) { return erf(input, null); }

    /** {@code exp}: Element-wise exp. */
    default MLOperand exp(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("exp is not implemented yet");
    }

    default MLOperand exp(MLOperand input) { return exp(input, null); }

    /** {@code floor}: Element-wise floor. */
    default MLOperand floor(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("floor is not implemented yet");
    }

    default MLOperand floor(MLOperand input) { return floor(input, null); }

    /** {@code identity}: Element-wise identity. */
    default MLOperand identity(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("identity is not implemented yet");
    }

    default MLOperand identity(MLOperand input) { return identity(input, null); }

    /** {@code log}: Element-wise log. */
    default MLOperand log(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("log is not implemented yet");
    }

    default MLOperand log(MLOperand input) { return log(input, null); }

    /** {@code neg}: Element-wise neg. */
    default MLOperand neg(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("neg is not implemented yet");
    }

    default MLOperand neg(MLOperand input) { return neg(input, null); }

    /** {@code reciprocal}: Element-wise reciprocal. */
    default MLOperand reciprocal(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("reciprocal is not implemented yet");
    }

    default MLOperand reciprocal(MLOperand input) { return reciprocal(input, null); }

    /** {@code sin}: Element-wise sin. */
    default MLOperand sin(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("sin is not implemented yet");
    }

    default MLOperand sin(MLOperand input) { return sin(input, null); }

    /** {@code sign}: Element-wise sign. */
    default MLOperand sign(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("sign is not implemented yet");
    }

    default MLOperand sign(MLOperand input) { return sign(input, null); }

    /** {@code sqrt}: Element-wise sqrt. */
    default MLOperand sqrt(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("sqrt is not implemented yet");
    }

    default MLOperand sqrt(MLOperand input) { return sqrt(input, null); }

    /** {@code tan}: Element-wise tan. */
    default MLOperand tan(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("tan is not implemented yet");
    }

    default MLOperand tan(MLOperand input) { return tan(input, null); }

    /** {@code roundEven}: Element-wise roundEven. */
    default MLOperand roundEven(MLOperand input, MLOperatorOptions options) {
        throw new NotSupportedError("roundEven is not implemented yet");
    }

    default MLOperand roundEven(MLOperand input) { return roundEven(input, null); }

    /** {@code cast}: Converts to another data type. */
    default MLOperand cast(MLOperand input, MLOperandDataType type, MLOperatorOptions options) {
        throw new NotSupportedError("cast is not implemented yet");
    }

    default MLOperand cast(MLOperand input, MLOperandDataType type) { return cast(input, type, null); }

    /** {@code where}: Selects trueValue where condition is non-zero, else falseValue, with broadcasting. */
    default MLOperand where(MLOperand condition, MLOperand trueValue, MLOperand falseValue, MLOperatorOptions options) {
        throw new NotSupportedError("where is not implemented yet");
    }

    default MLOperand where(MLOperand condition, MLOperand trueValue, MLOperand falseValue) { return where(condition, trueValue, falseValue, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
