package dev.anneau.examples;

import static dev.anneau.webnn.MLOperandDataType.FLOAT32;

import dev.anneau.webnn.*;
import java.util.Map;

/** The README's example, verbatim between the markers; ReadmeExampleTest runs it and checks the README still matches. */
final class ReadmeExample {
    static float[] run() {
        // README-EXAMPLE-BEGIN
        MLContext ctx = ML.createContext(new MLContextOptions()).join();
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", new MLOperandDescriptor(FLOAT32, 2, 3));
        MLOperand bias = b.constant(new MLOperandDescriptor(FLOAT32, 3), new float[] {1, -2, 3});
        MLGraph graph = b.build(Map.of("y", b.relu(b.add(x, bias)))).join();
        MLTensor in = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 3}, false, true)).join();
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 3}, true, false)).join();
        ctx.writeTensor(in, new float[] {0, 1, 2, -3, -4, -5});
        ctx.dispatch(graph, Map.of("x", in), Map.of("y", out));
        float[] y = new float[6];
        ctx.readTensor(out).join().asFloatBuffer().get(y); // [1, 0, 5, 0, 0, 0]
        // README-EXAMPLE-END
        ctx.destroy();
        return y;
    }
}
