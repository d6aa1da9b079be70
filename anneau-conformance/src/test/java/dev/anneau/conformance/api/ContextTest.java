package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.rejects;
import static dev.anneau.conformance.api.Api.tensor;
import static dev.anneau.conformance.api.Api.throwsError;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLPowerPreference;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.NotSupportedError;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** MLContext creation and destruction (WPT createContext, destroyContext, destroyGraph). */
class ContextTest {

    @Test
    void createContextWithEveryPowerPreference() {
        for (MLPowerPreference p : MLPowerPreference.values()) {
            MLContext c = await(ML.createContext(new MLContextOptions(p, true)));
            assertEquals(p, c.options().powerPreference());
            c.destroy();
        }
        MLContext cpu = await(ML.createContext(new MLContextOptions(MLPowerPreference.DEFAULT, false)));
        assertFalse(cpu.isDestroyed());
        cpu.destroy();
    }

    @Test
    void anUnknownBackendIsNotSupported() {
        rejects("NotSupportedError", ML.createContext(MLContextOptions.defaults().withBackend("no-such-backend")));
        NotSupportedError e = org.junit.jupiter.api.Assertions.assertThrows(NotSupportedError.class,
                () -> ML.createContextNow(MLContextOptions.defaults().withBackend("no-such-backend")));
        assertTrue(e.getMessage().contains("no-such-backend"), e.getMessage());
    }

    @Test
    void theCpuBackendIsListed() {
        assertTrue(ML.backends().stream().anyMatch(b -> b.name().equals("cpu") && b.availability().available()),
                () -> "backends: " + ML.backends());
    }

    @Test
    void destroyResolvesLostAndIsIdempotent() {
        MLContext c = context();
        CompletableFuture<MLContext.MLContextLostInfo> lost = c.lost();
        assertFalse(lost.isDone());
        c.destroy();
        c.destroy();
        assertTrue(c.isDestroyed());
        assertNotNull(await(lost));
    }

    @Test
    void aDestroyedContextRefusesEverything() {
        MLContext c = context();
        MLGraphBuilder builder = new MLGraphBuilder(c);
        MLOperand x = builder.input("x", new MLOperandDescriptor(FLOAT32, 1));
        MLOperand y = builder.relu(x);
        MLGraph g = Api.reluGraph(c, 1);
        MLTensor in = tensor(c, FLOAT32, true, true, 1), out = tensor(c, FLOAT32, true, true, 1);
        c.destroy();
        throwsError("InvalidStateError", () -> new MLGraphBuilder(c));
        throwsError("InvalidStateError", () -> builder.input("z", new MLOperandDescriptor(FLOAT32, 1)));
        throwsError("InvalidStateError", () -> builder.relu(x));
        rejects("InvalidStateError", builder.build(Map.of("y", y)));
        rejects("InvalidStateError", c.createTensor(Api.desc(FLOAT32, true, true, 1)));
        rejects("InvalidStateError", c.createConstantTensor(new MLOperandDescriptor(FLOAT32, 1), ByteBuffer.allocate(4)));
        throwsError("InvalidStateError", () -> c.writeTensor(in, new float[1]));
        rejects("InvalidStateError", c.readTensor(in));
        rejects("InvalidStateError", c.readTensor(in, ByteBuffer.allocate(4)));
        throwsError("InvalidStateError", () -> c.dispatch(g, Map.of("x", in), Map.of("y", out)));
        // spec "lose": every graph and tensor of the context is destroyed with it
        assertTrue(g.isDestroyed(), "graph destroyed with its context");
        assertTrue(in.isDestroyed(), "tensor destroyed with its context");
        in.destroy(); // still idempotent
        g.destroy();
    }

    @Test
    void aPendingReadIsRejectedWhenTheContextIsDestroyed() {
        MLContext c = context();
        MLTensor t = tensor(c, FLOAT32, true, false, 1);
        TensorLifecycleTest.keepTimelineBusy(c);
        CompletableFuture<ByteBuffer> read = c.readTensor(t);
        c.destroy();
        rejects("InvalidStateError", read);
        assertNotNull(await(c.lost()));
    }

    @Test
    void destroyingAnotherContextLeavesThisOneAlone() {
        MLContext a = context(), b = context();
        try {
            MLTensor t = tensor(a, FLOAT32, true, true, 1);
            b.destroy();
            a.writeTensor(t, new float[] {5});
            assertEquals(5f, Api.readFloats(a, t)[0]);
        } finally {
            a.destroy();
        }
    }
}
