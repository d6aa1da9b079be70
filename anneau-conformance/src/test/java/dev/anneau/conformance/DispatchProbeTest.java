package dev.anneau.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.graph.GraphDefinition;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchProbeTest {
    @Test
    void rebuildsTheGraphDefinitionAndRunsItThroughTheSpi() {
        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            MLOperand x = b.input("x", new MLOperandDescriptor(MLOperandDataType.FLOAT32, 2));
            b.input("unused", new MLOperandDescriptor(MLOperandDataType.FLOAT32, 1));
            MLOperand y = b.relu(b.relu(x));
            GraphDefinition def = DispatchProbe.definition(Map.of("y", y));
            assertEquals(java.util.Set.of("x"), def.inputs().keySet());
            assertEquals(2, def.operations().size());
            assertTrue(def.operations().get(0).outputs().get(0).id() < def.operations().get(1).outputs().get(0).id());
            assertTrue(def.operandCount() > y.id());
            ByteBuffer data = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(-1).putFloat(1).flip();
            assertNull(DispatchProbe.rerun("cpu", ctx.options(), Map.of("y", y), Map.of("x", data)));
        } finally {
            ctx.destroy();
        }
    }

    @Test
    void describeNamesTheFirstBackendFrame() {
        RuntimeException e = new IllegalStateException("boom");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.Objects", "check", "Objects.java", 1),
            new StackTraceElement("dev.anneau.backend.cpu.kernels.X", "run", "X.java", 42)});
        assertEquals("IllegalStateException: boom at dev.anneau.backend.cpu.kernels.X.run(X.java:42)", DispatchProbe.describe(e));
    }
}
