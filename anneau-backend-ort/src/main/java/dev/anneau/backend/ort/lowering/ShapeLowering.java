package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the shape family (see {@code dev.anneau.webnn.ShapeMethods}). */
public final class ShapeLowering {
    private ShapeLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
