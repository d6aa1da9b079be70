package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the normalization family (see {@code dev.anneau.webnn.NormalizationMethods}). */
public final class NormalizationLowering {
    private NormalizationLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
