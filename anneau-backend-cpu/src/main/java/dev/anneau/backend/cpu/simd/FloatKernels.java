package dev.anneau.backend.cpu.simd;

/**
 * The float32 inner loops of the CPU kernels, in two implementations: {@link ScalarSupport}
 * (plain Java loops; they are the contract) and a Vector API one that {@link VectorSupport} loads
 * when the JVM can run it. Both give the same results, bit for bit, except where a method says
 * otherwise (the double sums of {@link #sum} and {@link #sumOfSquares} may add in another order).
 *
 * <p>Arrays are addressed with explicit offsets; {@code n} elements from each offset must exist.
 */
public interface FloatKernels {
    /** The binary operators of {@link #binary}. */
    enum Binary { ADD, SUB, MUL, DIV, MAX, MIN }

    /** A short description, e.g. {@code "scalar"} or {@code "Vector API, 512-bit"}. */
    String describe();

    /** Whether this implementation uses the Vector API. */
    boolean vectorized();

    /**
     * {@code r[ro+i] = a[ao+i*as] op b[bo+i*bs]} for {@code i < n}; the strides are 1 (a run) or 0
     * (one element broadcast). MAX and MIN follow {@link Math#max(float, float)} (NaN wins, +0 > -0).
     */
    void binary(Binary op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] r, int ro, int n);

    /** {@code y = x > 0 ? x : (x is NaN ? x : +0)}: max(0, x), keeping NaN and turning -0 into +0. */
    void relu(float[] x, int xo, float[] y, int yo, int n);

    /** {@code y = x > 0 ? x : alpha * x + 0} (the + 0 turns -0 into +0, as max(0,x) + alpha*min(0,x) does). */
    void leakyRelu(float[] x, int xo, float alpha, float[] y, int yo, int n);

    /** {@code y = x < lo ? lo : (x > hi ? hi : x)}: NaN stays NaN, a NaN bound bounds nothing. */
    void clamp(float[] x, int xo, float lo, float hi, float[] y, int yo, int n);

    /** The sum of {@code x[off..off+n)} in double (the order of the additions is unspecified). */
    double sum(float[] x, int off, int n);

    /** The sum of squares of {@code x[off..off+n)} in double (the order of the additions is unspecified). */
    double sumOfSquares(float[] x, int off, int n);

    /** {@link Math#max(float, float)} over {@code x[off..off+n)}, starting from -Infinity. */
    float max(float[] x, int off, int n);

    /** {@link Math#min(float, float)} over {@code x[off..off+n)}, starting from +Infinity. */
    float min(float[] x, int off, int n);

    /**
     * The terms of {@link #gemm}: term {@code t} multiplies {@code a[.. + a[t]]} by
     * {@code b[.. + b[t] + j * bStride]} and adds to the columns {@code from[t] <= j < to[t]} only
     * ({@code from} and {@code to} null: every column). The arrays may be longer than {@code count}.
     */
    record Terms(int[] a, int[] b, int[] from, int[] to, int count) {
        /**
         * A plain row-major product, {@code k} deep with {@code n} columns: a[t], b[t * n], every
         * column. The ranges are spelled out (0 to n) rather than null, so that matmul and conv2d
         * take the same branches and neither deoptimizes the code the JIT compiled for the other.
         */
        public static Terms matmul(int k, int n) {
            int[] at = new int[k], bt = new int[k], from = new int[k], to = new int[k];
            for (int t = 0; t < k; t++) {
                at[t] = t;
                bt[t] = t * n;
                to[t] = n;
            }
            return new Terms(at, bt, from, to, k);
        }
    }

    /**
     * An indexed matrix product, summed in double:
     * <pre>
     * c[cOff + r*ldc + j] = sum over t &lt; terms.count with from[t] &lt;= j &lt; to[t] of
     *                       a[aOff + r*lda + terms.a[t]] * b[bOff + terms.b[t] + j*bStride]
     * </pre>
     * for {@code r < rows}, {@code j < cols}; {@code c} is overwritten (an empty sum is +0). Each sum
     * starts at +0 and adds its products in ascending {@code t}; a product of two floats is exact in
     * double, so every implementation rounds exactly as {@code s += (double) x * y} does. b is only
     * read where a term adds. A plain matmul is {@link Terms#matmul}; a convolution lists its
     * (channel, kh, kw) window as terms (an implicit im2col), each with the output columns whose
     * window position lies inside the input.
     */
    void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int bStride, Terms terms, int rows, int cols,
              double[] c, int cOff, int ldc);
}
