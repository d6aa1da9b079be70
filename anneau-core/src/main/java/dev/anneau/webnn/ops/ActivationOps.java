package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Validation and shape inference of the activation family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-relu-method and its neighbours).
 * Data types and ranks were checked against the spec table by {@link OpCheck#operand}.
 *
 * <p>Scalar options are resolved here once: spec defaults applied and the value
 * <a href="https://www.w3.org/TR/webnn/#algorithms-casting">cast</a> to the input's data type,
 * as the spec's method steps do, so kernels only read the attribute records below.
 */
public final class ActivationOps {
    private ActivationOps() {}

    /** Attributes of the activations with one scalar ({@code elu}, {@code leakyRelu}): alpha already cast to the input type. */
    public record Alpha(double alpha) {}

    /** Attributes of {@code hardSigmoid} and {@code linear}: alpha and beta already cast to the input type. */
    public record AlphaBeta(double alpha, double beta) {}

    /** Attributes of {@code softmax}: the axis, in [0, rank). */
    public record Softmax(int axis) {}

    /**
     * Attributes of {@code clamp}, with the bounds cast to the input's data type. Floating-point
     * inputs use {@code min}/{@code max} (an absent bound is -/+Infinity; a NaN bound compares
     * false and so bounds nothing); integer inputs use {@code minInteger}/{@code maxInteger}
     * (the exact value; for uint64 the two's-complement bit pattern, to compare unsigned).
     */
    public record Clamp(double min, double max, long minInteger, long maxInteger) {}

    /** Activations that keep the input's type and shape. */
    public static TensorType elementwise(OpCheck check, TensorType input) {
        return check.output(input);
    }

    /**
     * A WebIDL {@code double} option (finite; NaN and the infinities are a TypeError), or its default
     * when not given, then cast to the input's data type.
     */
    public static double floatOption(OpCheck check, String name, Double value, double defaultValue, MLOperandDataType type) {
        double v = value == null ? defaultValue : value;
        check.require(Double.isFinite(v), "options.%s must be a finite number, got %s", name, v);
        return castToFloat(v, type);
    }

    public static Alpha alpha(OpCheck check, Double alpha, double defaultAlpha, MLOperandDataType type) {
        return new Alpha(floatOption(check, "alpha", alpha, defaultAlpha, type));
    }

    public static AlphaBeta alphaBeta(OpCheck check, Double alpha, double defaultAlpha, Double beta, double defaultBeta,
                                      MLOperandDataType type) {
        return new AlphaBeta(floatOption(check, "alpha", alpha, defaultAlpha, type),
                floatOption(check, "beta", beta, defaultBeta, type));
    }

    /**
     * clamp: bounds default to -Infinity/+Infinity, are cast to the input's data type, and after
     * the cast minValue must not be greater than maxValue.
     */
    public static Clamp clamp(OpCheck check, TensorType input, Number minValue, Number maxValue) {
        MLOperandDataType t = input.dataType();
        if (t.isFloatingPoint()) {
            double min = minValue == null ? Double.NEGATIVE_INFINITY : castToFloat(minValue, t);
            double max = maxValue == null ? Double.POSITIVE_INFINITY : castToFloat(maxValue, t);
            check.require(!(min > max), "options.minValue (%s) must not be greater than options.maxValue (%s) (as %s: %s > %s)",
                    minValue, maxValue, t, min, max);
            return new Clamp(min, max, 0, 0);
        }
        BigInteger lo = minInteger(t), hi = maxInteger(t);
        BigInteger min = minValue == null ? lo : castToInteger(minValue, t);
        BigInteger max = maxValue == null ? hi : castToInteger(maxValue, t);
        check.require(min.compareTo(max) <= 0,
                "options.minValue (%s) must not be greater than options.maxValue (%s) (as %s: %s > %s)",
                minValue, maxValue, t, min, max);
        return new Clamp(min.doubleValue(), max.doubleValue(), min.longValue(), max.longValue());
    }

    /**
     * prelu: input and slope are bidirectionally broadcast (slope's data type must be input's,
     * which {@link OpCheck#operand} checked); the output has input's data type and the broadcast shape.
     */
    public static TensorType prelu(OpCheck check, TensorType input, TensorType slope) {
        check.require(slope.dataType() == input.dataType(), "slope: data type %s must be the same as input's (%s)",
                slope.dataType(), input.dataType());
        int[] shape = Broadcast.bidirectional(input.dims(), slope.dims());
        if (shape == null) {
            throw check.error("slope shape %s and input shape %s are not broadcastable; each trailing dimension "
                    + "must be equal or 1", Arrays.toString(slope.dims()), Arrays.toString(input.dims()));
        }
        return check.output(input.dataType(), shape);
    }

    /**
     * softmax: axis in [0, rank); the output is the input's type and shape. The API's {@code int}
     * axis is the spec's {@code unsigned long}, so it is read as unsigned (-1 is 4294967295).
     */
    public static Softmax softmax(OpCheck check, TensorType input, int axis) {
        return new Softmax(check.axis("axis", Integer.toUnsignedLong(axis), input.rank()));
    }

    // ------------------------------------------------------------------ the spec's "cast" of a number

    /**
     * The spec's ConvertToFloat: round to nearest even into float32 or float16 (overflow to
     * ±Infinity, NaN stays NaN, -0 stays -0); the result is returned as a double holding that value.
     */
    public static double castToFloat(Number x, MLOperandDataType type) {
        return switch (type) {
            case FLOAT32 -> (double) toFloat(x);
            case FLOAT16 -> (double) Numbers.halfToFloat(toHalf(x));
            default -> throw new IllegalArgumentException(type + " is not a floating-point type");
        };
    }

    private static float toFloat(Number x) {
        if (x instanceof BigInteger bi) return new BigDecimal(bi).floatValue();
        if (x instanceof BigDecimal bd) return bd.floatValue();
        if (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte) return (float) x.longValue();
        return (float) x.doubleValue();
    }

    private static short toHalf(Number x) {
        if (x instanceof BigInteger || x instanceof BigDecimal || x instanceof Long) {
            // a half's finite range ends below 2^16, so a double carries every value that still matters
            return Numbers.doubleToHalf(new BigDecimal(x.toString()).doubleValue());
        }
        return Numbers.doubleToHalf(x.doubleValue());
    }

    /**
     * The spec's ConvertToInt for an integer data type: NaN gives 0, the value is clamped to the
     * type's range, then rounded to the nearest integer (ties to even). Exact for 64-bit values.
     */
    public static BigInteger castToInteger(Number x, MLOperandDataType type) {
        BigInteger lo = minInteger(type), hi = maxInteger(type);
        BigDecimal v;
        if (x instanceof BigInteger bi) {
            v = new BigDecimal(bi);
        } else if (x instanceof BigDecimal bd) {
            v = bd;
        } else if (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte) {
            v = BigDecimal.valueOf(x.longValue());
        } else {
            double d = x.doubleValue();
            if (Double.isNaN(d)) return BigInteger.ZERO;
            if (d == Double.NEGATIVE_INFINITY) return lo;
            if (d == Double.POSITIVE_INFINITY) return hi;
            v = new BigDecimal(d);
        }
        if (v.compareTo(new BigDecimal(lo)) <= 0) return lo;
        if (v.compareTo(new BigDecimal(hi)) >= 0) return hi;
        return v.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
    }

    /** Smallest value of an integer data type. */
    public static BigInteger minInteger(MLOperandDataType type) {
        if (type.isFloatingPoint()) throw new IllegalArgumentException(type + " is not an integer type");
        return type.isSigned() ? BigInteger.ONE.shiftLeft(type.bitWidth() - 1).negate() : BigInteger.ZERO;
    }

    /** Largest value of an integer data type. */
    public static BigInteger maxInteger(MLOperandDataType type) {
        if (type.isFloatingPoint()) throw new IllegalArgumentException(type + " is not an integer type");
        int bits = type.isSigned() ? type.bitWidth() - 1 : type.bitWidth();
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }
}
