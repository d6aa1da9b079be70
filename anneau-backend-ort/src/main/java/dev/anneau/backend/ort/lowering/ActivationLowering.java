package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.MLOperandDataType;
import java.util.EnumSet;

/** ONNX lowerings of the activation family (see {@code dev.anneau.webnn.ActivationMethods}). */
public final class ActivationLowering {
    private ActivationLowering() {}

    public static void register(LoweringRegistry registry) {
        // ONNX Runtime's CPU EP implements Relu for float32 only (float16/int kernels are missing: ORT_NOT_IMPLEMENTED)
        registry.register("relu", EnumSet.of(MLOperandDataType.FLOAT32), (op, cx) ->
                cx.op("Relu", cx.value(op.input(0))).out(cx.outputName(op.output(0))));
    }
}
