package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the shape family (see {@code dev.anneau.webnn.ShapeMethods}). */
public final class ShapeKernels {
    private ShapeKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
