package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.MLOperandDataType;
import java.util.EnumSet;

/** ONNX lowerings of the activation family (see {@code dev.anneau.webnn.ActivationMethods}). */
public final class ActivationLowering {
    private ActivationLowering() {}

    public static void register(LoweringRegistry registry) {
        // ONNX Relu (opset 14) covers float and signed integer types on the CPU EP
        registry.register("relu", EnumSet.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16, MLOperandDataType.INT32,
                MLOperandDataType.INT8, MLOperandDataType.INT64), (op, cx) ->
                cx.op("Relu", cx.value(op.input(0))).out(cx.outputName(op.output(0))));
    }
}
