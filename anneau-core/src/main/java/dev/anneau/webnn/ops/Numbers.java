package dev.anneau.webnn.ops;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Conversions of the spec's MLNumber (a JS number or bigint; here any {@link Number}). */
public final class Numbers {
    private Numbers() {}

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    public static double toDouble(Number n) {
        return n.doubleValue();
    }

    /** Truncates toward zero and wraps modulo 2^64, as a JS typed array stores into integers; NaN/Inf give 0. */
    public static long toWrappedLong(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return n.longValue();
        if (n instanceof BigInteger bi) return bi.mod(TWO_64).longValue();
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) return 0;
        if (Math.abs(d) < 9.2e18) return (long) d;
        return new BigDecimal(d).toBigInteger().mod(TWO_64).longValue();
    }

    /** The exact integer value, or null when the number is not an integer (NaN, Inf, fraction). */
    public static BigInteger toBigInteger(Number n) {
        if (n instanceof BigInteger bi) return bi;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return BigInteger.valueOf(n.longValue());
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) return null;
        return new BigDecimal(d).toBigInteger();
    }

    /** float16 bits to float. */
    public static float halfToFloat(short bits) { return Float.float16ToFloat(bits); }

    /** float to float16 bits, round to nearest even. */
    public static short floatToHalf(float f) { return Float.floatToFloat16(f); }

    /**
     * double to float16 bits with a single correct rounding (to nearest even). Going through
     * {@code (float) d} first could round twice, so the float step rounds to odd instead, which
     * is exact enough because a float keeps 13 more fraction bits than a half.
     */
    public static short doubleToHalf(double d) {
        float f = (float) d;
        if ((double) f != d && !Double.isNaN(d)) {
            if (Math.abs((double) f) > Math.abs(d)) f = Math.nextAfter(f, 0.0);
            f = Float.intBitsToFloat(Float.floatToRawIntBits(f) | 1);
        }
        return Float.floatToFloat16(f);
    }
}
