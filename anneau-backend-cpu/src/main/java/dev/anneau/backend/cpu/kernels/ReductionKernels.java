package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the reduction family (see {@code dev.anneau.webnn.ReductionMethods}). */
public final class ReductionKernels {
    private ReductionKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
