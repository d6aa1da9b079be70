package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the matrix family (see {@code dev.anneau.webnn.MatrixMethods}). */
public final class MatrixKernels {
    private MatrixKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
