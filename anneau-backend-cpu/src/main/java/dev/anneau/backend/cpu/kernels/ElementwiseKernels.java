package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the elementwise family (see {@code dev.anneau.webnn.ElementwiseMethods}). */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
