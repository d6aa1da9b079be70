package dev.anneau.backend.cpu.kernels;

/** CPU kernels of the convolution family (see {@code dev.anneau.webnn.ConvolutionMethods}). */
public final class ConvolutionKernels {
    private ConvolutionKernels() {}

    public static void register(KernelRegistry registry) {
    }
}
