package dev.anneau.bench;

import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.backend.cpu.simd.VectorSupport;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU backend's inner loops ({@link FloatKernels}) alone, scalar against Vector API: the same
 * call on the same data, without graph, tensor or dispatch costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelBenchmark {
    /** gemm512: a 512x512x512 product; add, relu, sum, max: 2^20 floats. */
    @Param({"gemm512", "add", "relu", "sum", "max"})
    public String kernel;

    @Param({"scalar", "vector"})
    public String impl;

    private FloatKernels k;
    private float[] a, b, r;
    private double[] c;
    private FloatKernels.Terms terms;
    private static final int N = 512, LENGTH = 1 << 20;

    @Setup(Level.Trial)
    public void setUp() {
        k = impl.equals("scalar") ? VectorSupport.scalar() : VectorSupport.kernels();
        if (impl.equals("vector") && !k.vectorized()) {
            throw new IllegalStateException("the Vector API is off in this JVM: " + VectorSupport.status());
        }
        SplittableRandom rnd = new SplittableRandom(7);
        int n = kernel.equals("gemm512") ? N * N : LENGTH;
        a = new float[n];
        b = new float[n];
        r = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        c = new double[32 * N];
        terms = FloatKernels.Terms.matmul(N, N);
    }

    @Benchmark
    public double run() {
        switch (kernel) {
            case "gemm512" -> {
                // as MatrixKernels does: blocks of 32 rows
                for (int i = 0; i < N; i += 32) k.gemm(a, i * N, N, b, 0, 1, terms, 32, N, c, 0, N);
                return c[0];
            }
            case "add" -> {
                k.binary(FloatKernels.Binary.ADD, a, 0, 1, b, 0, 1, r, 0, LENGTH);
                return r[0];
            }
            case "relu" -> {
                k.relu(a, 0, r, 0, LENGTH);
                return r[0];
            }
            case "sum" -> {
                return k.sum(a, 0, LENGTH);
            }
            case "max" -> {
                return k.max(a, 0, LENGTH);
            }
            default -> throw new IllegalArgumentException(kernel);
        }
    }
}
