package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the pooling family (see {@code dev.anneau.webnn.PoolingMethods}). */
public final class PoolingKernels {
    private PoolingKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
