package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the recurrent family (see {@code dev.anneau.webnn.RecurrentMethods}). */
public final class RecurrentLowering {
    private RecurrentLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
