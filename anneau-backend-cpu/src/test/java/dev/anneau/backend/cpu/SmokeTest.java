package dev.anneau.backend.cpu;

import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void reluRunsEndToEnd() {
        MLContext ctx = ML.createContext(new MLContextOptions().withBackend("cpu")).join();
        assertEquals("cpu", ctx.backendName());
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", new MLOperandDescriptor(FLOAT32, 2, 2));
        MLGraph g = b.build(Map.of("y", b.relu(x))).join();
        MLTensor in = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 2}, false, true)).join();
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 2}, true, false)).join();
        ctx.writeTensor(in, new float[] {-1, 2, -0f, 4});
        ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
        ByteBuffer r = ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[4];
        r.asFloatBuffer().get(got);
        assertArrayEquals(new float[] {0, 2, 0, 4}, got);
        ctx.destroy();
    }
}
