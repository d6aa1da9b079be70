package dev.anneau.backend.ort;

import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.TypeError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrtSmokeTest {
    @Test
    void reluRunsOnOnnxRuntime() {
        assertTrue(OrtRuntime.isAvailable(), () -> "ORT did not load: " + OrtRuntime.unavailabilityCause());
        MLContext ctx = ML.createContext(new MLContextOptions().withBackend("ort")).join();
        assertEquals("ort", ctx.backendName());
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", new MLOperandDescriptor(FLOAT32, 2, 2));
        MLGraph g = b.build(Map.of("y", b.relu(x))).join();
        assertTrue(g.describe().contains("CPUExecutionProvider") || g.describe().contains("providers"), g.describe());
        MLTensor in = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 2}, false, true)).join();
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {2, 2}, true, false)).join();
        ctx.writeTensor(in, new float[] {-1, 2, -3, 4});
        ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
        float[] got = new float[4];
        ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(new float[] {0, 2, 0, 4}, got);
        ctx.destroy();
    }

    @Test
    void unsupportedTypeIsRefusedAtTheBuilder() {
        MLContext ctx = ML.createContext(new MLContextOptions().withBackend("ort")).join();
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand x = b.input("x", new MLOperandDescriptor(UINT32, 2));
        assertThrows(TypeError.class, () -> b.relu(x));
        ctx.destroy();
    }

    @Test
    void contextsAndGraphsDoNotLeak() {
        // 1,000 create/build/dispatch/destroy cycles; native memory must not grow without bound
        long before = 0;
        for (int i = 0; i < 1000; i++) {
            MLContext ctx = ML.createContext(new MLContextOptions().withBackend("ort")).join();
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand x = b.input("x", new MLOperandDescriptor(FLOAT32, 64));
            MLGraph g = b.build(Map.of("y", b.relu(x))).join();
            MLTensor in = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {64}, false, true)).join();
            MLTensor out = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {64}, true, false)).join();
            ctx.writeTensor(in, ByteBuffer.allocate(256));
            ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
            ctx.readTensor(out).join();
            ctx.destroy();
            ctx.lost().join();
            if (i == 100) before = residentKb();
        }
        long after = residentKb();
        // a leak of one session per cycle (~100 KB+) would add > 80 MB over 900 cycles
        assertTrue(after - before < 64 * 1024, "resident memory grew from " + before + " KB to " + after + " KB");
    }

    private static long residentKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }
}
