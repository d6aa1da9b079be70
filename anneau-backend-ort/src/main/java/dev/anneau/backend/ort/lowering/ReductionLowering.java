package dev.anneau.backend.ort.lowering;

/** ONNX lowerings of the reduction family (see {@code dev.anneau.webnn.ReductionMethods}). */
public final class ReductionLowering {
    private ReductionLowering() {}

    public static void register(LoweringRegistry registry) {
    }
}
