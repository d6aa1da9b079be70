package dev.anneau.difftest;

/**
 * A conservative description of the values an operand can hold: every element {@code v} satisfies
 * {@code minAbs <= |v| <= maxAbs} (so {@code minAbs > 0} means "never zero") and has the sign
 * {@code sign} ({@code +1}: {@code v >= 0}, {@code -1}: {@code v <= 0}, {@code 0}: either).
 * {@code integral}: every value is an integer.
 *
 * <p>The generator tracks a domain per operand to keep the graphs well-conditioned, so that the
 * WPT rule of summing per-operator ULP tolerances over a graph stays meaningful: sums and dot
 * products only see terms of one sign (no cancellation), divisors stay away from zero, and the
 * inputs of exp/log/pow... stay in ranges where neither backend loses accuracy.
 */
record Domain(int sign, double minAbs, double maxAbs, boolean integral) {
    Domain {
        if (minAbs < 0 || maxAbs < minAbs || Double.isNaN(maxAbs)) {
            throw new IllegalArgumentException("bad domain " + sign + " " + minAbs + " " + maxAbs);
        }
        if (maxAbs == 0) sign = 0;
    }

    static Domain pos(double min, double max) { return new Domain(1, min, max, false); }

    static Domain neg(double min, double max) { return new Domain(-1, min, max, false); }

    static Domain mixed(double min, double max) { return new Domain(0, min, max, false); }

    static Domain ints(long lo, long hi) { return interval(lo, hi, true); }

    /** The smallest domain holding the closed interval [lo, hi]. */
    static Domain interval(double lo, double hi, boolean integral) {
        if (lo > hi) throw new IllegalArgumentException("empty interval " + lo + " " + hi);
        if (lo >= 0) return new Domain(1, lo, hi, integral);
        if (hi <= 0) return new Domain(-1, -hi, -lo, integral);
        return new Domain(0, 0, Math.max(-lo, hi), integral);
    }

    double lo() { return sign > 0 ? minAbs : -maxAbs; }

    double hi() { return sign < 0 ? -minAbs : maxAbs; }

    boolean mixed() { return sign == 0; }

    /** All values of one sign (zero allowed): sums of them cannot cancel. */
    boolean oneSigned() { return sign != 0 || maxAbs == 0; }

    Domain negate() { return new Domain(-sign, minAbs, maxAbs, integral); }

    Domain abs() { return new Domain(1, minAbs, maxAbs, integral); }

    Domain withZero() { return new Domain(sign, 0, maxAbs, integral); }

    /** The union of two domains. */
    Domain union(Domain o) {
        int s = sign == o.sign ? sign : 0;
        if (s == 0 && !(sign == 0 && o.sign == 0)) {
            // different signs: zero may lie between them, so no lower bound
            return new Domain(0, 0, Math.max(maxAbs, o.maxAbs), integral && o.integral);
        }
        return new Domain(s, Math.min(minAbs, o.minAbs), Math.max(maxAbs, o.maxAbs), integral && o.integral);
    }

    /** Domain of products a*b. */
    Domain times(Domain o) {
        int s = sign * o.sign;
        return new Domain(s, minAbs * o.minAbs, maxAbs * o.maxAbs, integral && o.integral);
    }

    /** Domain of a monotone non-decreasing function applied to the values. */
    Domain mapIncreasing(java.util.function.DoubleUnaryOperator f, boolean integralOut) {
        return interval(f.applyAsDouble(lo()), f.applyAsDouble(hi()), integralOut);
    }

    @Override
    public String toString() {
        String s = sign > 0 ? "+" : sign < 0 ? "-" : "±";
        return s + "[" + minAbs + "," + maxAbs + "]" + (integral ? "i" : "");
    }
}
