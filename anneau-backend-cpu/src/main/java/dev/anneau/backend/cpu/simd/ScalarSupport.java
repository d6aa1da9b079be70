package dev.anneau.backend.cpu.simd;

import java.util.Arrays;

/**
 * The plain-loop {@link FloatKernels}: the contract the Vector API implementation is tested
 * against, and what runs when the Vector API is off. Its static helpers also serve as the scalar
 * tails of the vector loops.
 */
public final class ScalarSupport implements FloatKernels {
    static final ScalarSupport INSTANCE = new ScalarSupport();

    private ScalarSupport() {}

    @Override
    public String describe() { return "scalar"; }

    @Override
    public boolean vectorized() { return false; }

    @Override
    public void binary(Binary op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] r, int ro, int n) {
        binaryRange(op, a, ao, as, b, bo, bs, r, ro, 0, n);
    }

    /** {@link #binary} for the elements {@code from <= i < to}. */
    static void binaryRange(Binary op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] r, int ro,
                            int from, int to) {
        // runs and one-element broadcasts get loops without strides, which C2 can unroll (and auto-vectorize)
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] + b[bo + i]; }
                case SUB -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] - b[bo + i]; }
                case MUL -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] * b[bo + i]; }
                case DIV -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] / b[bo + i]; }
                case MAX -> { for (int i = from; i < to; i++) r[ro + i] = Math.max(a[ao + i], b[bo + i]); }
                case MIN -> { for (int i = from; i < to; i++) r[ro + i] = Math.min(a[ao + i], b[bo + i]); }
            }
            return;
        }
        if (as == 1 && bs == 0) {
            float y = b[bo];
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] + y; }
                case SUB -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] - y; }
                case MUL -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] * y; }
                case DIV -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i] / y; }
                case MAX -> { for (int i = from; i < to; i++) r[ro + i] = Math.max(a[ao + i], y); }
                case MIN -> { for (int i = from; i < to; i++) r[ro + i] = Math.min(a[ao + i], y); }
            }
            return;
        }
        if (as == 0 && bs == 1) {
            float x = a[ao];
            switch (op) {
                case ADD -> { for (int i = from; i < to; i++) r[ro + i] = x + b[bo + i]; }
                case SUB -> { for (int i = from; i < to; i++) r[ro + i] = x - b[bo + i]; }
                case MUL -> { for (int i = from; i < to; i++) r[ro + i] = x * b[bo + i]; }
                case DIV -> { for (int i = from; i < to; i++) r[ro + i] = x / b[bo + i]; }
                case MAX -> { for (int i = from; i < to; i++) r[ro + i] = Math.max(x, b[bo + i]); }
                case MIN -> { for (int i = from; i < to; i++) r[ro + i] = Math.min(x, b[bo + i]); }
            }
            return;
        }
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i * as] + b[bo + i * bs]; }
            case SUB -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i * as] - b[bo + i * bs]; }
            case MUL -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> { for (int i = from; i < to; i++) r[ro + i] = a[ao + i * as] / b[bo + i * bs]; }
            case MAX -> { for (int i = from; i < to; i++) r[ro + i] = Math.max(a[ao + i * as], b[bo + i * bs]); }
            case MIN -> { for (int i = from; i < to; i++) r[ro + i] = Math.min(a[ao + i * as], b[bo + i * bs]); }
        }
    }

    @Override
    public void relu(float[] x, int xo, float[] y, int yo, int n) { reluRange(x, xo, y, yo, 0, n); }

    static void reluRange(float[] x, int xo, float[] y, int yo, int from, int to) {
        // Math.max(v, +0) is v for v > 0 and NaN, +0 for ±0 and negatives; branch-free once compiled
        for (int i = from; i < to; i++) y[yo + i] = Math.max(x[xo + i], 0f);
    }

    @Override
    public void leakyRelu(float[] x, int xo, float alpha, float[] y, int yo, int n) {
        leakyReluRange(x, xo, alpha, y, yo, 0, n);
    }

    static void leakyReluRange(float[] x, int xo, float alpha, float[] y, int yo, int from, int to) {
        // alpha * x is exact in double, so the float product rounds as the double formula does
        for (int i = from; i < to; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0 ? v : alpha * v + 0f;
        }
    }

    @Override
    public void clamp(float[] x, int xo, float lo, float hi, float[] y, int yo, int n) {
        clampRange(x, xo, lo, hi, y, yo, 0, n);
    }

    static void clampRange(float[] x, int xo, float lo, float hi, float[] y, int yo, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[xo + i];
            y[yo + i] = v < lo ? lo : (v > hi ? hi : v);
        }
    }

    @Override
    public double sum(float[] x, int off, int n) { return sumRange(x, off, 0, n, 0); }

    static double sumRange(float[] x, int off, int from, int to, double s) {
        for (int i = from; i < to; i++) s += x[off + i];
        return s;
    }

    @Override
    public double sumOfSquares(float[] x, int off, int n) { return sumOfSquaresRange(x, off, 0, n, 0); }

    static double sumOfSquaresRange(float[] x, int off, int from, int to, double s) {
        for (int i = from; i < to; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return s;
    }

    @Override
    public float max(float[] x, int off, int n) { return maxRange(x, off, 0, n, Float.NEGATIVE_INFINITY); }

    static float maxRange(float[] x, int off, int from, int to, float m) {
        for (int i = from; i < to; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    @Override
    public float min(float[] x, int off, int n) { return minRange(x, off, 0, n, Float.POSITIVE_INFINITY); }

    static float minRange(float[] x, int off, int from, int to, float m) {
        for (int i = from; i < to; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    /** Rows handled together, so each loaded element of b serves several rows of a. */
    private static final int ROW_BLOCK = 4;

    @Override
    public void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int bStride, Terms terms, int rows, int cols,
                     double[] c, int cOff, int ldc) {
        gemmColumns(a, aOff, lda, b, bOff, bStride, terms, rows, 0, cols, c, cOff, ldc);
    }

    /**
     * {@link #gemm} for the columns {@code j0 <= j < j1} of every row: term-outer order over blocks
     * of rows, so that b is read along its runs (each sum still adds in ascending t), each term over
     * the columns it adds to.
     */
    static void gemmColumns(float[] a, int aOff, int lda, float[] b, int bOff, int bStride, Terms terms, int rows,
                            int j0, int j1, double[] c, int cOff, int ldc) {
        if (j0 >= j1) return;
        int[] at = terms.a(), bt = terms.b(), from = terms.from(), to = terms.to();
        int count = terms.count();
        int r = 0;
        for (; r + ROW_BLOCK <= rows; r += ROW_BLOCK) {
            int c0 = cOff + r * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            Arrays.fill(c, c0 + j0, c0 + j1, 0.0);
            Arrays.fill(c, c1 + j0, c1 + j1, 0.0);
            Arrays.fill(c, c2 + j0, c2 + j1, 0.0);
            Arrays.fill(c, c3 + j0, c3 + j1, 0.0);
            int ar = aOff + r * lda;
            for (int t = 0; t < count; t++) {
                int lo = from == null ? j0 : Math.max(j0, from[t]), hi = to == null ? j1 : Math.min(j1, to[t]);
                int ai = ar + at[t];
                double a0 = a[ai], a1 = a[ai + lda], a2 = a[ai + 2 * lda], a3 = a[ai + 3 * lda];
                int bi = bOff + bt[t];
                if (bStride == 1) {
                    for (int j = lo; j < hi; j++) {
                        double bv = b[bi + j];
                        c[c0 + j] += a0 * bv;
                        c[c1 + j] += a1 * bv;
                        c[c2 + j] += a2 * bv;
                        c[c3 + j] += a3 * bv;
                    }
                } else {
                    for (int j = lo; j < hi; j++) {
                        double bv = b[bi + j * bStride];
                        c[c0 + j] += a0 * bv;
                        c[c1 + j] += a1 * bv;
                        c[c2 + j] += a2 * bv;
                        c[c3 + j] += a3 * bv;
                    }
                }
            }
        }
        for (; r < rows; r++) {
            int c0 = cOff + r * ldc;
            Arrays.fill(c, c0 + j0, c0 + j1, 0.0);
            int ar = aOff + r * lda;
            for (int t = 0; t < count; t++) {
                int lo = from == null ? j0 : Math.max(j0, from[t]), hi = to == null ? j1 : Math.min(j1, to[t]);
                double a0 = a[ar + at[t]];
                int bi = bOff + bt[t];
                for (int j = lo; j < hi; j++) c[c0 + j] += a0 * b[bi + j * bStride];
            }
        }
    }
}
