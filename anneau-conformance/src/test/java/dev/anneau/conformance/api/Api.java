package dev.anneau.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import dev.anneau.webnn.WebNNException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.function.Executable;

/** Small helpers shared by the API tests (all of them use only {@code relu}, the operator every build has). */
final class Api {
    private Api() {}

    static final long TIMEOUT_S = 30;

    /** A context on the cpu backend, the reference implementation these tests describe. */
    static MLContext context() { return ML.createContextNow(MLContextOptions.defaults().withBackend("cpu")); }

    static MLTensorDescriptor desc(MLOperandDataType t, boolean readable, boolean writable, long... shape) {
        return new MLTensorDescriptor(t, shape, readable, writable);
    }

    static MLTensor tensor(MLContext c, MLOperandDataType t, boolean readable, boolean writable, long... shape) {
        return await(c.createTensor(desc(t, readable, writable, shape)));
    }

    /** y = relu(x) for a float32 input of {@code shape}. */
    static MLGraph reluGraph(MLContext c, long... shape) {
        MLGraphBuilder b = new MLGraphBuilder(c);
        return await(b.build(Map.of("y", b.relu(b.input("x", new MLOperandDescriptor(MLOperandDataType.FLOAT32, shape))))));
    }

    static float[] readFloats(MLContext c, MLTensor t) {
        ByteBuffer b = await(c.readTensor(t)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static float[] relu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0f;
        return y;
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + TIMEOUT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts that {@code f} fails with a WebNN error named {@code name}; returns it. */
    static WebNNException rejects(String name, CompletableFuture<?> f) {
        try {
            Object v = f.get(TIMEOUT_S, TimeUnit.SECONDS);
            return fail("expected a rejection with " + name + ", the future resolved to " + v);
        } catch (ExecutionException e) {
            WebNNException w = assertInstanceOf(WebNNException.class, e.getCause(), "rejection cause");
            assertEquals(name, w.errorName(), () -> "rejected with " + w);
            return w;
        } catch (TimeoutException e) {
            return fail("the future did not settle within " + TIMEOUT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts that {@code call} throws a WebNN error named {@code name}; returns it. */
    static WebNNException throwsError(String name, Executable call) {
        WebNNException w = assertThrows(WebNNException.class, call);
        assertEquals(name, w.errorName(), () -> "threw " + w);
        return w;
    }
}
