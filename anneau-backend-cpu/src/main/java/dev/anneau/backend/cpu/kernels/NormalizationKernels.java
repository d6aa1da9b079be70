package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the normalization family (see {@code dev.anneau.webnn.NormalizationMethods}). */
public final class NormalizationKernels {
    private NormalizationKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
