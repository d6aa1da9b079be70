package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the recurrent family (see {@code dev.anneau.webnn.RecurrentMethods}). */
public final class RecurrentKernels {
    private RecurrentKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
