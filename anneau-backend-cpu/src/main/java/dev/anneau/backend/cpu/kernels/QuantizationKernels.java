package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the quantization family (see {@code dev.anneau.webnn.QuantizationMethods}). */
public final class QuantizationKernels {
    private QuantizationKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
