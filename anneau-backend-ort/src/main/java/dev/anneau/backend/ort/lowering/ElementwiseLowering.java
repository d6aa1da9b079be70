package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the elementwise family (see {@code dev.anneau.webnn.ElementwiseMethods}). */
public final class ElementwiseLowering {
    private ElementwiseLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
