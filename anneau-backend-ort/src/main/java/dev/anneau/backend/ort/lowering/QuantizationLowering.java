package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the quantization family (see {@code dev.anneau.webnn.QuantizationMethods}). */
public final class QuantizationLowering {
    private QuantizationLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
