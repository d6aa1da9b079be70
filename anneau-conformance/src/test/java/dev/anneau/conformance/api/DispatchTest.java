package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.readFloats;
import static dev.anneau.conformance.api.Api.relu;
import static dev.anneau.conformance.api.Api.reluGraph;
import static dev.anneau.conformance.api.Api.tensor;
import static dev.anneau.conformance.api.Api.throwsError;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MLContext.dispatch}: graph reuse with different tensors, 0-D inputs and constants,
 * inputs left untouched, binding errors, and parallel dispatch from several threads.
 */
class DispatchTest {
    private MLContext ctx;

    @BeforeEach
    void open() { ctx = context(); }

    @AfterEach
    void close() { ctx.destroy(); }

    @Test
    void oneGraphRunsWithDifferentTensors() {
        MLGraph g = reluGraph(ctx, 3);
        MLTensor in1 = tensor(ctx, FLOAT32, false, true, 3), in2 = tensor(ctx, FLOAT32, false, true, 3);
        MLTensor out1 = tensor(ctx, FLOAT32, true, false, 3), out2 = tensor(ctx, FLOAT32, true, false, 3);
        ctx.writeTensor(in1, new float[] {-1, 2, -3});
        ctx.writeTensor(in2, new float[] {4, -5, 6});
        ctx.dispatch(g, Map.of("x", in1), Map.of("y", out1));
        ctx.dispatch(g, Map.of("x", in2), Map.of("y", out2));
        assertArrayEquals(new float[] {0, 2, 0}, readFloats(ctx, out1));
        assertArrayEquals(new float[] {4, 0, 6}, readFloats(ctx, out2));
        // same output tensor again: the last dispatch wins, in order
        ctx.dispatch(g, Map.of("x", in2), Map.of("y", out1));
        ctx.writeTensor(in2, new float[] {-7, 8, -9});
        ctx.dispatch(g, Map.of("x", in2), Map.of("y", out2));
        assertArrayEquals(new float[] {4, 0, 6}, readFloats(ctx, out1));
        assertArrayEquals(new float[] {0, 8, 0}, readFloats(ctx, out2));
    }

    @Test
    void outputsCanFeedTheNextDispatch() {
        MLGraph g = reluGraph(ctx, 2);
        MLTensor a = tensor(ctx, FLOAT32, true, true, 2), b = tensor(ctx, FLOAT32, true, true, 2);
        ctx.writeTensor(a, new float[] {-1, 5});
        ctx.dispatch(g, Map.of("x", a), Map.of("y", b));
        ctx.writeTensor(a, new float[] {9, 9});
        ctx.dispatch(g, Map.of("x", b), Map.of("y", a));
        assertArrayEquals(new float[] {0, 5}, readFloats(ctx, a));
    }

    @Test
    void dispatchDoesNotModifyItsInputs() {
        MLGraphBuilder bld = new MLGraphBuilder(ctx);
        MLOperand x = bld.input("x", new MLOperandDescriptor(FLOAT32, 4));
        // two consumers of the same input, one of them twice removed
        MLGraph g = await(bld.build(Map.of("y", bld.relu(x), "z", bld.relu(bld.relu(x)))));
        MLTensor in = tensor(ctx, FLOAT32, true, true, 4);
        float[] data = {-1.5f, 0f, -0f, 3f};
        ctx.writeTensor(in, data);
        MLTensor y = tensor(ctx, FLOAT32, true, false, 4), z = tensor(ctx, FLOAT32, true, false, 4);
        ctx.dispatch(g, Map.of("x", in), Map.of("y", y, "z", z));
        assertArrayEquals(new float[] {0, 0, 0, 3}, readFloats(ctx, y));
        assertArrayEquals(new float[] {0, 0, 0, 3}, readFloats(ctx, z));
        assertArrayEquals(data, readFloats(ctx, in));
    }

    @Test
    void scalarInputsAndConstants() {
        MLGraphBuilder bld = new MLGraphBuilder(ctx);
        MLOperand x = bld.input("x", new MLOperandDescriptor(FLOAT32, new long[0]));
        MLOperand c1 = bld.constant(FLOAT32, -1.5);
        MLOperand c2 = bld.constant(new MLOperandDescriptor(FLOAT32, new long[0]), new float[] {2.25f});
        MLOperand c3 = bld.constant(INT32, 7L);
        MLOperand y = bld.relu(x);
        assertEquals(0, y.shape().length);
        MLGraph g = await(bld.build(Map.of("y", y, "r1", bld.relu(c1), "r2", bld.relu(c2), "r3", bld.relu(c3))));
        MLTensor in = tensor(ctx, FLOAT32, false, true);
        assertEquals(0, in.shape().length);
        MLTensor out = tensor(ctx, FLOAT32, true, false), r1 = tensor(ctx, FLOAT32, true, false);
        MLTensor r2 = tensor(ctx, FLOAT32, true, false), r3 = tensor(ctx, INT32, true, false);
        for (float v : new float[] {-3f, 2.5f}) {
            ctx.writeTensor(in, new float[] {v});
            ctx.dispatch(g, Map.of("x", in), Map.of("y", out, "r1", r1, "r2", r2, "r3", r3));
            assertArrayEquals(new float[] {Math.max(v, 0)}, readFloats(ctx, out));
        }
        assertArrayEquals(new float[] {0f}, readFloats(ctx, r1));
        assertArrayEquals(new float[] {2.25f}, readFloats(ctx, r2));
        assertEquals(7, await(ctx.readTensor(r3)).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        // a 0-D tensor holds exactly one element
        throwsError("TypeError", () -> ctx.writeTensor(in, new float[0]));
        throwsError("TypeError", () -> ctx.writeTensor(in, new float[2]));
    }

    @Test
    void constantDataIsCopiedWhenTheConstantIsCreated() {
        // WPT constant-changed-buffer: later changes to the caller's buffer do not reach the graph
        MLGraphBuilder bld = new MLGraphBuilder(ctx);
        float[] array = {2, -3};
        ByteBuffer buffer = ByteBuffer.wrap(TensorLifecycleTest.floatBytes(4, -5));
        MLOperand a = bld.constant(new MLOperandDescriptor(FLOAT32, 2), array);
        MLOperand b = bld.constant(new MLOperandDescriptor(FLOAT32, 2), buffer);
        array[0] = -100;
        buffer.putFloat(0, -100);
        MLGraph g = await(bld.build(Map.of("a", bld.relu(a), "b", bld.relu(b))));
        array[1] = 100;
        buffer.putFloat(4, 100);
        MLTensor ra = tensor(ctx, FLOAT32, true, false, 2), rb = tensor(ctx, FLOAT32, true, false, 2);
        ctx.dispatch(g, Map.of(), Map.of("a", ra, "b", rb));
        assertArrayEquals(new float[] {2, 0}, readFloats(ctx, ra));
        assertArrayEquals(new float[] {4, 0}, readFloats(ctx, rb));
    }

    @Test
    void bindingErrorsAreTypeErrors() {
        MLGraph g = reluGraph(ctx, 3, 5);
        MLTensor in = tensor(ctx, FLOAT32, true, true, 3, 5), out = tensor(ctx, FLOAT32, true, true, 3, 5);
        ctx.dispatch(g, Map.of("x", in), Map.of("y", out)); // control
        MLTensor rankHigh = tensor(ctx, FLOAT32, false, false, 3, 5, 2);
        MLTensor dimOff = tensor(ctx, FLOAT32, false, false, 3, 4);
        MLTensor wrongType = tensor(ctx, INT32, false, false, 3, 5);
        MLTensor half = tensor(ctx, FLOAT16, false, false, 3, 5);
        for (MLTensor bad : List.of(rankHigh, dimOff, wrongType, half)) {
            throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", bad), Map.of("y", out)));
            throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", bad)));
        }
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of(), Map.of()));
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("other", in), Map.of("y", out)));
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("other", out)));
        MLTensor extra = tensor(ctx, FLOAT32, false, false, 3, 5);
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in, "x2", extra), Map.of("y", out)));
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", out, "y2", extra)));
        // the same tensor as input and output
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", in)));
        Map<String, MLTensor> withNull = new HashMap<>();
        withNull.put("x", null);
        throwsError("TypeError", () -> ctx.dispatch(g, withNull, Map.of("y", out)));
        throwsError("TypeError", () -> ctx.dispatch(g, null, Map.of("y", out)));
        throwsError("TypeError", () -> ctx.dispatch(null, Map.of("x", in), Map.of("y", out)));
        // a graph or tensors from another context
        MLContext other = context();
        try {
            MLGraph og = reluGraph(other, 3, 5);
            throwsError("TypeError", () -> ctx.dispatch(og, Map.of("x", in), Map.of("y", out)));
            MLTensor foreign = tensor(other, FLOAT32, false, false, 3, 5);
            throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", foreign), Map.of("y", out)));
            throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", foreign)));
        } finally {
            other.destroy();
        }
    }

    @Test
    void twoOutputsMayNotShareATensor() {
        MLGraphBuilder bld = new MLGraphBuilder(ctx);
        MLOperand x = bld.input("x", new MLOperandDescriptor(FLOAT32, 2));
        MLGraph g = await(bld.build(Map.of("y", bld.relu(x), "z", bld.relu(x))));
        MLTensor in = tensor(ctx, FLOAT32, false, true, 2), out = tensor(ctx, FLOAT32, true, false, 2);
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", out, "z", out)));
    }

    @Test
    void destroyedGraphsCannotDispatch() {
        MLGraph g = reluGraph(ctx, 2);
        MLTensor in = tensor(ctx, FLOAT32, false, true, 2), out = tensor(ctx, FLOAT32, true, false, 2);
        ctx.writeTensor(in, new float[] {-1, 1});
        ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
        g.destroy(); // after dispatch, before the read: the queued work still runs
        g.destroy();
        assertArrayEquals(new float[] {0, 1}, readFloats(ctx, out));
        throwsError("InvalidStateError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", out)));
    }

    @Test
    void parallelDispatchFromSeveralThreads() throws Exception {
        final int threads = 8, rounds = 25, n = 257;
        MLGraph g = reluGraph(ctx, n);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                results.add(pool.submit((Callable<Integer>) () -> {
                    Random rnd = new Random(seed);
                    MLTensor in = tensor(ctx, FLOAT32, false, true, n);
                    MLTensor out = tensor(ctx, FLOAT32, true, false, n);
                    for (int r = 0; r < rounds; r++) {
                        float[] x = new float[n];
                        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
                        ctx.writeTensor(in, x);
                        ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
                        assertArrayEquals(relu(x), readFloats(ctx, out), "thread " + seed + " round " + r);
                    }
                    // a graph built on this thread, in parallel with the others
                    MLGraphBuilder b = new MLGraphBuilder(ctx);
                    MLGraph own = await(b.build(Map.of("y", b.relu(b.input("x", new MLOperandDescriptor(MLOperandDataType.FLOAT32, n))))));
                    float[] x = new float[n];
                    for (int i = 0; i < n; i++) x[i] = i - n / 2f;
                    ctx.writeTensor(in, x);
                    ctx.dispatch(own, Map.of("x", in), Map.of("y", out));
                    assertArrayEquals(relu(x), readFloats(ctx, out));
                    return rounds;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) total += f.get(120, TimeUnit.SECONDS);
            assertEquals(threads * rounds, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
