package dev.anneau.backend.cpu.kernels;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Operator name to kernel factory; each family class adds its operators. */
public final class KernelRegistry {
    private final Map<String, KernelFactory> factories = new HashMap<>();

    public KernelRegistry register(String operator, KernelFactory factory) {
        if (factories.put(operator, factory) != null) throw new IllegalStateException("two kernels for " + operator);
        return this;
    }

    public KernelFactory get(String operator) { return factories.get(operator); }

    public Map<String, KernelFactory> all() { return Collections.unmodifiableMap(factories); }

    /** Every family of the CPU backend. */
    public static KernelRegistry standard() {
        KernelRegistry r = new KernelRegistry();
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
