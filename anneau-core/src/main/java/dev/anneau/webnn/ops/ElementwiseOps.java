package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;
import java.util.Set;

/**
 * Validation and shape inference of the element-wise family: binary arithmetic
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-binary), comparisons and logical operators
 * (#api-mlgraphbuilder-logical), unary operators (#api-mlgraphbuilder-unary), {@code cast} and
 * {@code where}. Data types and ranks of the operands were already checked against the spec
 * table by {@link OpCheck#operand}; this class adds the broadcasting and output-type rules.
 * None of these operators has attributes: kernels read everything from the operand types.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /** add, sub, mul, div, max, min, pow: same data type, bidirectionally broadcast shape. */
    public static TensorType binary(OpCheck check, TensorType a, TensorType b) {
        requireSameType(check, "a", a, "b", b);
        return check.output(a.dataType(), broadcast(check, "a", a.dims(), "b", b.dims()));
    }

    /** equal ... lesserOrEqual, logicalAnd/Or/Xor: same data type, broadcast shape, uint8 output. */
    public static TensorType logical(OpCheck check, TensorType a, TensorType b) {
        requireSameType(check, "a", a, "b", b);
        return check.output(MLOperandDataType.UINT8, broadcast(check, "a", a.dims(), "b", b.dims()));
    }

    /** logicalNot, isNaN, isInfinite: the input's shape, uint8 output. */
    public static TensorType logical(OpCheck check, TensorType a) {
        return check.output(MLOperandDataType.UINT8, a.dims());
    }

    /** Unary operators keep the input's type and shape. */
    public static TensorType unary(OpCheck check, TensorType input) {
        return check.output(input);
    }

    /** cast: the input's shape with the target data type, which the context must support. */
    public static TensorType cast(OpCheck check, TensorType input, MLOperandDataType dataType) {
        check.require(dataType != null, "dataType is required (one of float32, float16, int32, uint32, int64, uint64, int8, uint8)");
        Set<MLOperandDataType> supported = check.support().dataTypes(check.operator(), "output");
        if (supported != null && !supported.contains(dataType)) {
            throw check.error("the target data type %s is not supported by this context; supported: %s", dataType,
                    supported);
        }
        return check.output(dataType, input.dims());
    }

    /** where: condition (uint8), trueValue and falseValue (same type) are all broadcast together. */
    public static TensorType where(OpCheck check, TensorType condition, TensorType trueValue, TensorType falseValue) {
        requireSameType(check, "trueValue", trueValue, "falseValue", falseValue);
        int[] values = broadcast(check, "trueValue", trueValue.dims(), "falseValue", falseValue.dims());
        int[] out = broadcast(check, "condition", condition.dims(), "the broadcast shape of trueValue and falseValue", values);
        return check.output(trueValue.dataType(), out);
    }

    private static void requireSameType(OpCheck check, String an, TensorType a, String bn, TensorType b) {
        if (a.dataType() != b.dataType()) {
            throw check.error("%s: data type %s must be the same as %s's (%s)", bn, b.dataType(), an, a.dataType());
        }
    }

    /** The bidirectional broadcast of two shapes, or a labelled TypeError naming the first dimension that conflicts. */
    public static int[] broadcast(OpCheck check, String an, int[] a, String bn, int[] b) {
        int[] out = Broadcast.bidirectional(a, b);
        if (out != null) return out;
        int rank = Math.max(a.length, b.length);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.length), ib = i - (rank - b.length);
            int da = ia < 0 ? 1 : a[ia], db = ib < 0 ? 1 : b[ib];
            if (da != db && da != 1 && db != 1) {
                throw check.error("%s (shape %s) and %s (shape %s) are not broadcastable: at broadcast axis %d "
                                + "the sizes are %d and %d; aligned from the last axis, sizes must be equal or 1",
                        an, Arrays.toString(a), bn, Arrays.toString(b), i, da, db);
            }
        }
        throw check.error("%s (shape %s) and %s (shape %s) are not broadcastable", an, Arrays.toString(a), bn,
                Arrays.toString(b));
    }
}
