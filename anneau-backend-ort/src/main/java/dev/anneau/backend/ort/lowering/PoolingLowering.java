package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the pooling family (see {@code dev.anneau.webnn.PoolingMethods}). */
public final class PoolingLowering {
    private PoolingLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
