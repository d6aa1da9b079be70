package dev.anneau.backend.cpu.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatKernels} on the Vector API ({@code jdk.incubator.vector}). Only {@link VectorSupport}
 * names this class, by reflection, after checking that the module is readable and C2 is on; no
 * other class links a Vector API type, so the backend runs without {@code --add-modules}.
 *
 * <p>Every loop has the same shape: vectorize when the run is longer than twice the species
 * length (shorter runs would spend more on setup than they save), a vector body, then the scalar
 * tail from {@link ScalarSupport}. The species are static finals so that C2 sees constants (a
 * species it cannot see through leaves the Vector API on its slow, boxed path).
 */
final class PanamaSupport implements FloatKernels {
    /** The vector size in bits: the CPU's preferred size, or {@code -Danneau.vectorBits} when that is smaller. */
    static final int BITS;
    /** Why this class cannot run here, or null. */
    static final String UNSUPPORTED;

    static {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        int bits = preferred;
        String why = null;
        String forced = System.getProperty(VectorSupport.BITS_PROPERTY, "").trim();
        if (!forced.isEmpty() && !forced.equals("default")) {
            int f;
            try {
                f = Integer.parseInt(forced);
            } catch (NumberFormatException e) {
                f = -1;
            }
            if (f != 128 && f != 256 && f != 512) {
                why = "-D" + VectorSupport.BITS_PROPERTY + "=" + forced + " is not 128, 256 or 512";
            } else if (f > preferred) {
                why = "-D" + VectorSupport.BITS_PROPERTY + "=" + f + " is wider than this CPU's " + preferred + "-bit vectors";
            } else {
                bits = f;
            }
        }
        if (why == null && bits < 128) why = "this CPU's vectors are " + bits + " bits; at least 128 are needed";
        UNSUPPORTED = why;
        BITS = why == null ? bits : 128;
    }

    /** Floats, full width: the elementwise loops and float reductions. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    /** Doubles, full width: the double accumulators of gemm and the sums. */
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));
    /** Floats, half width: as many lanes as {@link #D}, loaded and widened to double. */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS / 2));
    /** Whether the JVM uses FMA instructions; without them a vector fma would be emulated, slowly. */
    static final boolean FMA = VectorSupport.vmFlag("UseFMA", false);

    /** Called reflectively by {@link VectorSupport}; UnsupportedOperationException sends it to the scalar kernels. */
    PanamaSupport() {
        if (UNSUPPORTED != null) throw new UnsupportedOperationException(UNSUPPORTED);
    }

    @Override
    public String describe() {
        return "Vector API, " + BITS + "-bit (" + F.length() + " float / " + D.length() + " double lanes"
                + (FMA ? ", FMA" : "") + ")";
    }

    @Override
    public boolean vectorized() { return true; }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void binary(Binary op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] r, int ro, int n) {
        int len = F.length();
        if (n <= 2 * len) {
            ScalarSupport.binaryRange(op, a, ao, as, b, bo, bs, r, ro, 0, n);
            return;
        }
        int bound = F.loopBound(n);
        // a broadcast operand is one vector for the whole run; the switch is per vector, on a
        // loop-invariant value (each arm has its operator as a constant, which C2 needs)
        FloatVector fa = as == 0 ? FloatVector.broadcast(F, a[ao]) : null;
        FloatVector fb = bs == 0 ? FloatVector.broadcast(F, b[bo]) : null;
        for (int i = 0; i < bound; i += len) {
            FloatVector va = as == 0 ? fa : FloatVector.fromArray(F, a, ao + i);
            FloatVector vb = bs == 0 ? fb : FloatVector.fromArray(F, b, bo + i);
            FloatVector v = switch (op) {
                case ADD -> va.add(vb);
                case SUB -> va.sub(vb);
                case MUL -> va.mul(vb);
                case DIV -> va.div(vb);
                case MAX -> va.max(vb);
                case MIN -> va.min(vb);
            };
            v.intoArray(r, ro + i);
        }
        ScalarSupport.binaryRange(op, a, ao, as, b, bo, bs, r, ro, bound, n);
    }

    @Override
    public void relu(float[] x, int xo, float[] y, int yo, int n) {
        int len = F.length();
        if (n <= 2 * len) {
            ScalarSupport.reluRange(x, xo, y, yo, 0, n);
            return;
        }
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += len) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            // x <= 0 is false for NaN, so NaN passes through with its bits; -0 <= 0 gives +0
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i);
        }
        ScalarSupport.reluRange(x, xo, y, yo, bound, n);
    }

    @Override
    public void leakyRelu(float[] x, int xo, float alpha, float[] y, int yo, int n) {
        int len = F.length();
        if (n <= 2 * len) {
            ScalarSupport.leakyReluRange(x, xo, alpha, y, yo, 0, n);
            return;
        }
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += len) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector neg = v.mul(alpha).add(0f);
            neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
        ScalarSupport.leakyReluRange(x, xo, alpha, y, yo, bound, n);
    }

    @Override
    public void clamp(float[] x, int xo, float lo, float hi, float[] y, int yo, int n) {
        int len = F.length();
        if (n <= 2 * len) {
            ScalarSupport.clampRange(x, xo, lo, hi, y, yo, 0, n);
            return;
        }
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += len) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            // the lower bound is tested first in the scalar form, so it is applied last here
            FloatVector r = v.blend(hi, v.compare(VectorOperators.GT, hi));
            r.blend(lo, v.compare(VectorOperators.LT, lo)).intoArray(y, yo + i);
        }
        ScalarSupport.clampRange(x, xo, lo, hi, y, yo, bound, n);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public double sum(float[] x, int off, int n) {
        int len = D.length();
        if (n <= 2 * len) return ScalarSupport.sumRange(x, off, 0, n, 0);
        // four accumulators: the additions of one do not wait for the others
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * len + 1; i < bound4; i += 4 * len) {
            s0 = s0.add(widen(x, off + i));
            s1 = s1.add(widen(x, off + i + len));
            s2 = s2.add(widen(x, off + i + 2 * len));
            s3 = s3.add(widen(x, off + i + 3 * len));
        }
        for (int bound = D.loopBound(n); i < bound; i += len) s0 = s0.add(widen(x, off + i));
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        return ScalarSupport.sumRange(x, off, i, n, s);
    }

    @Override
    public double sumOfSquares(float[] x, int off, int n) {
        int len = D.length();
        if (n <= 2 * len) return ScalarSupport.sumOfSquaresRange(x, off, 0, n, 0);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * len + 1; i < bound4; i += 4 * len) {
            DoubleVector v0 = widen(x, off + i), v1 = widen(x, off + i + len);
            DoubleVector v2 = widen(x, off + i + 2 * len), v3 = widen(x, off + i + 3 * len);
            // the square of a float is exact in double, so fma and multiply-then-add agree
            s0 = fma(v0, v0, s0);
            s1 = fma(v1, v1, s1);
            s2 = fma(v2, v2, s2);
            s3 = fma(v3, v3, s3);
        }
        for (int bound = D.loopBound(n); i < bound; i += len) {
            DoubleVector v = widen(x, off + i);
            s0 = fma(v, v, s0);
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        return ScalarSupport.sumOfSquaresRange(x, off, i, n, s);
    }

    @Override
    public float max(float[] x, int off, int n) {
        int len = F.length();
        if (n <= 2 * len) return ScalarSupport.maxRange(x, off, 0, n, Float.NEGATIVE_INFINITY);
        // max is exact and order-free (NaN wins, +0 beats -0), so lanes and accumulators may split the run;
        // four accumulators, as the lane-wise max (with its NaN and zero handling) takes several cycles
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int bound4 = n - 4 * len + 1; i < bound4; i += 4 * len) {
            m0 = m0.max(FloatVector.fromArray(F, x, off + i));
            m1 = m1.max(FloatVector.fromArray(F, x, off + i + len));
            m2 = m2.max(FloatVector.fromArray(F, x, off + i + 2 * len));
            m3 = m3.max(FloatVector.fromArray(F, x, off + i + 3 * len));
        }
        for (int bound = F.loopBound(n); i < bound; i += len) m0 = m0.max(FloatVector.fromArray(F, x, off + i));
        float m = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        return ScalarSupport.maxRange(x, off, i, n, m);
    }

    @Override
    public float min(float[] x, int off, int n) {
        int len = F.length();
        if (n <= 2 * len) return ScalarSupport.minRange(x, off, 0, n, Float.POSITIVE_INFINITY);
        FloatVector m0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int bound4 = n - 4 * len + 1; i < bound4; i += 4 * len) {
            m0 = m0.min(FloatVector.fromArray(F, x, off + i));
            m1 = m1.min(FloatVector.fromArray(F, x, off + i + len));
            m2 = m2.min(FloatVector.fromArray(F, x, off + i + 2 * len));
            m3 = m3.min(FloatVector.fromArray(F, x, off + i + 3 * len));
        }
        for (int bound = F.loopBound(n); i < bound; i += len) m0 = m0.min(FloatVector.fromArray(F, x, off + i));
        float m = m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
        return ScalarSupport.minRange(x, off, i, n, m);
    }

    // ------------------------------------------------------------------ gemm

    /**
     * Register tiles of 4 rows by 2 double vectors (or 1) of columns, each kept in registers over
     * all terms (8 accumulators fit AVX2's 16 registers; 8-row tiles measured slower on AVX-512),
     * where every term adds to every column of the tile. Tiles at the edges (columns some term
     * skips, the last partial vector) are one vector wide and add the partial terms under a mask.
     * Leftover rows take 1-row tiles. Every lane adds its products in ascending t, like the scalar
     * loop, and since a float product is exact in double, fma(b, a, s) rounds exactly as
     * s + a * b: the results are identical to {@link ScalarSupport}'s.
     */
    @Override
    public void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int bStride, Terms terms, int rows, int cols,
                     double[] c, int cOff, int ldc) {
        int len = D.length();
        if (cols < len) {
            ScalarSupport.gemmColumns(a, aOff, lda, b, bOff, bStride, terms, rows, 0, cols, c, cOff, ldc);
            return;
        }
        int[] from = terms.from(), to = terms.to();
        // the columns that every term adds to: tiles inside them need no mask
        int allFrom = 0, allTo = cols;
        if (from != null) {
            for (int t = 0; t < terms.count(); t++) {
                allFrom = Math.max(allFrom, from[t]);
                allTo = Math.min(allTo, to[t]);
            }
        }
        int[] gather = bStride == 1 ? null : gatherMap(bStride);
        int j = 0;
        while (j < cols) {
            int cj = cOff + j, bj = bOff + j * bStride;
            if (j >= allFrom && j + 2 * len <= allTo) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) tile4x2(a, aOff + r * lda, lda, b, bj, bStride, gather, terms, c, cj + r * ldc, ldc);
                for (; r < rows; r++) tile1x2(a, aOff + r * lda, b, bj, bStride, gather, terms, c, cj + r * ldc);
                j += 2 * len;
            } else if (j >= allFrom && j + len <= allTo) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) tile4x1(a, aOff + r * lda, lda, b, bj, gather, terms, c, cj + r * ldc, ldc);
                for (; r < rows; r++) tile1x1(a, aOff + r * lda, b, bj, gather, terms, c, cj + r * ldc);
                j += len;
            } else if (gather != null) {
                // a masked gather checks the indices of every lane, so strided edges take the scalar loop
                int end = Math.min(j + len, cols);
                ScalarSupport.gemmColumns(a, aOff, lda, b, bOff, bStride, terms, rows, j, end, c, cOff, ldc);
                j = end;
            } else {
                int width = Math.min(len, cols - j);
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    tile4xMasked(a, aOff + r * lda, lda, b, bj, terms, j, width, c, cj + r * ldc, ldc);
                }
                for (; r < rows; r++) tile1xMasked(a, aOff + r * lda, b, bj, terms, j, width, c, cj + r * ldc);
                j += len;
            }
        }
    }

    /** Lane offsets {@code 0, s, 2s, ...} for loading a strided run of b. */
    private static int[] gatherMap(int stride) {
        int[] map = new int[FH.length()];
        for (int i = 0; i < map.length; i++) map[i] = i * stride;
        return map;
    }

    /** {@code len} floats of b from {@code i} (consecutive, or {@code gather}-strided), widened to double. */
    private static DoubleVector loadB(float[] b, int i, int[] gather) {
        FloatVector f = gather == null ? FloatVector.fromArray(FH, b, i) : FloatVector.fromArray(FH, b, i, gather, 0);
        return (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
    }

    /** {@code len} consecutive floats of b from {@code i}, only the lanes of {@code m} read (the others are 0), widened. */
    private static DoubleVector loadB(float[] b, int i, VectorMask<Float> m) {
        return (DoubleVector) FloatVector.fromArray(FH, b, i, m).convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(FH, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector fma(DoubleVector x, DoubleVector y, DoubleVector acc) {
        return FMA ? x.fma(y, acc) : acc.add(x.mul(y));
    }

    private static void tile4x2(float[] a, int a0, int lda, float[] b, int bj, int bStride, int[] gather, Terms terms,
                                double[] c, int c0, int ldc) {
        int[] at = terms.a(), bt = terms.b();
        int count = terms.count(), len = D.length(), second = len * bStride;
        DoubleVector s00 = DoubleVector.zero(D), s01 = s00, s10 = s00, s11 = s00;
        DoubleVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int t = 0; t < count; t++) {
            int ai = at[t], bi = bj + bt[t];
            DoubleVector b0 = loadB(b, bi, gather), b1 = loadB(b, bi + second, gather);
            DoubleVector x = DoubleVector.broadcast(D, a[a0 + ai]);
            s00 = fma(b0, x, s00);
            s01 = fma(b1, x, s01);
            x = DoubleVector.broadcast(D, a[a1 + ai]);
            s10 = fma(b0, x, s10);
            s11 = fma(b1, x, s11);
            x = DoubleVector.broadcast(D, a[a2 + ai]);
            s20 = fma(b0, x, s20);
            s21 = fma(b1, x, s21);
            x = DoubleVector.broadcast(D, a[a3 + ai]);
            s30 = fma(b0, x, s30);
            s31 = fma(b1, x, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + len);
        s10.intoArray(c, c0 + ldc);
        s11.intoArray(c, c0 + ldc + len);
        s20.intoArray(c, c0 + 2 * ldc);
        s21.intoArray(c, c0 + 2 * ldc + len);
        s30.intoArray(c, c0 + 3 * ldc);
        s31.intoArray(c, c0 + 3 * ldc + len);
    }

    private static void tile1x2(float[] a, int a0, float[] b, int bj, int bStride, int[] gather, Terms terms,
                                double[] c, int c0) {
        int[] at = terms.a(), bt = terms.b();
        int count = terms.count(), len = D.length(), second = len * bStride;
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
        for (int t = 0; t < count; t++) {
            int bi = bj + bt[t];
            DoubleVector x = DoubleVector.broadcast(D, a[a0 + at[t]]);
            s0 = fma(loadB(b, bi, gather), x, s0);
            s1 = fma(loadB(b, bi + second, gather), x, s1);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + len);
    }

    private static void tile4x1(float[] a, int a0, int lda, float[] b, int bj, int[] gather, Terms terms,
                                double[] c, int c0, int ldc) {
        int[] at = terms.a(), bt = terms.b();
        int count = terms.count();
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int t = 0; t < count; t++) {
            int ai = at[t];
            DoubleVector bv = loadB(b, bj + bt[t], gather);
            s0 = fma(bv, DoubleVector.broadcast(D, a[a0 + ai]), s0);
            s1 = fma(bv, DoubleVector.broadcast(D, a[a1 + ai]), s1);
            s2 = fma(bv, DoubleVector.broadcast(D, a[a2 + ai]), s2);
            s3 = fma(bv, DoubleVector.broadcast(D, a[a3 + ai]), s3);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + ldc);
        s2.intoArray(c, c0 + 2 * ldc);
        s3.intoArray(c, c0 + 3 * ldc);
    }

    private static void tile1x1(float[] a, int a0, float[] b, int bj, int[] gather, Terms terms, double[] c, int c0) {
        int[] at = terms.a(), bt = terms.b();
        int count = terms.count();
        DoubleVector s = DoubleVector.zero(D);
        for (int t = 0; t < count; t++) {
            s = fma(loadB(b, bj + bt[t], gather), DoubleVector.broadcast(D, a[a0 + at[t]]), s);
        }
        s.intoArray(c, c0);
    }

    // the lanes n < width of the tile at column j that term t adds to are those with
    // from[t] <= j + n < min(to[t], j + width), that is 0 <= (j - lo) + n < hi - lo: indexInRange(j - lo, hi - lo)

    private static int termLo(int[] from, int t) { return from == null ? 0 : from[t]; }

    private static int termHi(int[] to, int t, int limit) { return to == null ? limit : Math.min(to[t], limit); }

    private static void tile4xMasked(float[] a, int a0, int lda, float[] b, int bj, Terms terms, int j, int width,
                                     double[] c, int c0, int ldc) {
        int[] at = terms.a(), bt = terms.b(), from = terms.from(), to = terms.to();
        int count = terms.count();
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int len = D.length();
        for (int t = 0; t < count; t++) {
            int lo = termLo(from, t), hi = termHi(to, t, j + width), ai = at[t];
            if (lo <= j && hi >= j + len) {
                // this term adds to the whole tile (at an edge most do): no mask
                DoubleVector bv = loadB(b, bj + bt[t], (int[]) null);
                s0 = fma(bv, DoubleVector.broadcast(D, a[a0 + ai]), s0);
                s1 = fma(bv, DoubleVector.broadcast(D, a[a1 + ai]), s1);
                s2 = fma(bv, DoubleVector.broadcast(D, a[a2 + ai]), s2);
                s3 = fma(bv, DoubleVector.broadcast(D, a[a3 + ai]), s3);
                continue;
            }
            VectorMask<Double> dm = D.indexInRange(j - lo, hi - lo);
            if (!dm.anyTrue()) continue;
            DoubleVector bv = loadB(b, bj + bt[t], FH.indexInRange(j - lo, hi - lo));
            // masked-off lanes read 0, which a * 0 could turn into NaN: the blend keeps their sums
            s0 = s0.blend(fma(bv, DoubleVector.broadcast(D, a[a0 + ai]), s0), dm);
            s1 = s1.blend(fma(bv, DoubleVector.broadcast(D, a[a1 + ai]), s1), dm);
            s2 = s2.blend(fma(bv, DoubleVector.broadcast(D, a[a2 + ai]), s2), dm);
            s3 = s3.blend(fma(bv, DoubleVector.broadcast(D, a[a3 + ai]), s3), dm);
        }
        VectorMask<Double> store = D.indexInRange(0, width);
        s0.intoArray(c, c0, store);
        s1.intoArray(c, c0 + ldc, store);
        s2.intoArray(c, c0 + 2 * ldc, store);
        s3.intoArray(c, c0 + 3 * ldc, store);
    }

    private static void tile1xMasked(float[] a, int a0, float[] b, int bj, Terms terms,
                                     int j, int width, double[] c, int c0) {
        int[] at = terms.a(), bt = terms.b(), from = terms.from(), to = terms.to();
        int count = terms.count();
        DoubleVector s = DoubleVector.zero(D);
        int len = D.length();
        for (int t = 0; t < count; t++) {
            int lo = termLo(from, t), hi = termHi(to, t, j + width);
            if (lo <= j && hi >= j + len) {
                s = fma(loadB(b, bj + bt[t], (int[]) null), DoubleVector.broadcast(D, a[a0 + at[t]]), s);
                continue;
            }
            VectorMask<Double> dm = D.indexInRange(j - lo, hi - lo);
            if (!dm.anyTrue()) continue;
            DoubleVector bv = loadB(b, bj + bt[t], FH.indexInRange(j - lo, hi - lo));
            s = s.blend(fma(bv, DoubleVector.broadcast(D, a[a0 + at[t]]), s), dm);
        }
        s.intoArray(c, c0, D.indexInRange(0, width));
    }
}
