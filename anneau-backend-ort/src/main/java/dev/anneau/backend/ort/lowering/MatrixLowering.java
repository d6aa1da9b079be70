package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the matrix family (see {@code dev.anneau.webnn.MatrixMethods}). */
public final class MatrixLowering {
    private MatrixLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
