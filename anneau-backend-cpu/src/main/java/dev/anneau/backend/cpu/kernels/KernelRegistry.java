package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.backend.cpu.simd.VectorSupport;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Operator name to kernel factory; each family class adds its operators. The float32 inner loops
 * of the factories come from {@link #simd()} (Vector API or scalar, see {@link VectorSupport}).
 */
public final class KernelRegistry {
    private final Map<String, KernelFactory> factories = new HashMap<>();
    private final FloatKernels simd;

    public KernelRegistry() { this(VectorSupport.kernels()); }

    public KernelRegistry(FloatKernels simd) { this.simd = simd; }

    /** The float32 inner loops the kernels of this registry use. */
    public FloatKernels simd() { return simd; }

    public KernelRegistry register(String operator, KernelFactory factory) {
        if (factories.put(operator, factory) != null) throw new IllegalStateException("two kernels for " + operator);
        return this;
    }

    public KernelFactory get(String operator) { return factories.get(operator); }

    public Map<String, KernelFactory> all() { return Collections.unmodifiableMap(factories); }

    /** Every family of the CPU backend, on the default inner loops ({@link VectorSupport#kernels()}). */
    public static KernelRegistry standard() { return standard(VectorSupport.kernels()); }

    /** Every family of the CPU backend, on the given inner loops. */
    public static KernelRegistry standard(FloatKernels simd) {
        KernelRegistry r = new KernelRegistry(simd);
        ElementwiseKernels.register(r);
        ActivationKernels.register(r);
        ReductionKernels.register(r);
        NormalizationKernels.register(r);
        ConvolutionKernels.register(r);
        PoolingKernels.register(r);
        MatrixKernels.register(r);
        ShapeKernels.register(r);
        RecurrentKernels.register(r);
        QuantizationKernels.register(r);
        return r;
    }
}
