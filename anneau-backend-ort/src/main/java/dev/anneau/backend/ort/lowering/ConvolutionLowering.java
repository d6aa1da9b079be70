package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the convolution family (see {@code dev.anneau.webnn.ConvolutionMethods}). */
public final class ConvolutionLowering {
    private ConvolutionLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
