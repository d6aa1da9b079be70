package dev.anneau.backend.cpu.kernels;

/** Functions java.lang.Math lacks, computed in double to well below float32 precision. */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /** The error function. Series below |x| = 3 (cancellation costs at most ~4 digits there), continued fraction above. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < 3.0) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        double r = 1.0 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** The complementary error function 1 - erf(x), accurate also where erf(x) is close to 1. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x >= 3.0) return erfcLarge(x);
        if (x <= -3.0) return 2.0 - erfcLarge(-x);
        return 1.0 - erf(x);
    }

    /** erfc for x >= 3 by Lentz's continued fraction. */
    private static double erfcLarge(double x) {
        if (x > 27) return 0.0;
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
