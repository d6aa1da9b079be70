package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.readFloats;
import static dev.anneau.conformance.api.Api.rejects;
import static dev.anneau.conformance.api.Api.tensor;
import static dev.anneau.conformance.api.Api.throwsError;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MLTensor life cycle: create, write, read, destroy, and the errors of each step (spec §MLContext, §MLTensor). */
class TensorLifecycleTest {
    private MLContext ctx;

    @BeforeEach
    void open() { ctx = context(); }

    @AfterEach
    void close() { ctx.destroy(); }

    @Test
    void createTensorReportsItsDescriptor() {
        MLTensor t = tensor(ctx, INT32, true, false, 2, 3);
        assertEquals(INT32, t.dataType());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertTrue(t.readable());
        assertFalse(t.writable());
        assertFalse(t.constant());
        assertFalse(t.isDestroyed());
        assertEquals(ctx, t.context());
    }

    @Test
    void writeThenReadRoundTripsEveryArrayType() {
        MLTensor f = tensor(ctx, FLOAT32, true, true, 2, 2);
        ctx.writeTensor(f, new float[] {1.5f, -2f, Float.MIN_VALUE, -0f});
        assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE, -0f}, readFloats(ctx, f));

        MLTensor h = tensor(ctx, FLOAT16, true, true, 3);
        short[] halves = {Float.floatToFloat16(1f), Float.floatToFloat16(-65504f), (short) 0x0001};
        ctx.writeTensor(h, halves);
        ByteBuffer hb = await(ctx.readTensor(h)).order(ByteOrder.LITTLE_ENDIAN);
        short[] gotHalves = new short[3];
        hb.asShortBuffer().get(gotHalves);
        assertArrayEquals(halves, gotHalves);

        MLTensor l = tensor(ctx, INT64, true, true, 2);
        ctx.writeTensor(l, new long[] {Long.MIN_VALUE, 1L << 40});
        ByteBuffer lb = await(ctx.readTensor(l)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Long.MIN_VALUE, lb.getLong(0));
        assertEquals(1L << 40, lb.getLong(8));

        MLTensor u = tensor(ctx, UINT8, true, true, 4);
        ctx.writeTensor(u, new byte[] {0, 1, (byte) 0xFF, (byte) 0x80});
        ByteBuffer ub = await(ctx.readTensor(u));
        assertEquals(4, ub.remaining());
        assertEquals((byte) 0xFF, ub.get(2));
        assertEquals((byte) 0x80, ub.get(3));
    }

    @Test
    void byteViewsWorkForAnyDataType() {
        // spec "validate buffer with descriptor": a Uint8Array (byte[]) of the right length fits every data type
        MLTensor t = tensor(ctx, INT32, true, true, 1);
        ctx.writeTensor(t, new byte[] {(byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0xAA});
        ctx.writeTensor(t, new int[] {0xBBBBBBBB}); // overwrite
        assertEquals(0xBBBBBBBB, await(ctx.readTensor(t)).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void newTensorReadsAsZeros() {
        MLTensor t = tensor(ctx, FLOAT32, true, false, 1024);
        assertArrayEquals(new float[1024], readFloats(ctx, t));
    }

    @Test
    void writeOfTheWrongByteLengthIsATypeError() {
        MLTensor t = tensor(ctx, INT32, false, true, 1);
        throwsError("TypeError", () -> ctx.writeTensor(t, new byte[5]));
        throwsError("TypeError", () -> ctx.writeTensor(t, new byte[3]));
        throwsError("TypeError", () -> ctx.writeTensor(t, (ByteBuffer) null));
    }

    @Test
    void writeToANonWritableTensorIsATypeError() {
        MLTensor t = tensor(ctx, FLOAT32, true, false, 2);
        throwsError("TypeError", () -> ctx.writeTensor(t, new float[2]));
    }

    @Test
    void readOfANonReadableTensorRejectsWithTypeError() {
        MLTensor t = tensor(ctx, FLOAT32, false, true, 2);
        rejects("TypeError", ctx.readTensor(t));
        rejects("TypeError", ctx.readTensor(t, ByteBuffer.allocate(8)));
    }

    @Test
    void destroyIsIdempotentAndLaterUseIsATypeError() {
        MLTensor t = tensor(ctx, FLOAT32, true, true, 2);
        t.destroy();
        t.destroy();
        assertTrue(t.isDestroyed());
        // spec (2026): writeTensor/readTensor/dispatch check [[isDestroyed]] with a TypeError
        throwsError("TypeError", () -> ctx.writeTensor(t, new float[2]));
        rejects("TypeError", ctx.readTensor(t));
        rejects("TypeError", ctx.readTensor(t, ByteBuffer.allocate(8)));
        MLGraph g = Api.reluGraph(ctx, 2);
        MLTensor out = tensor(ctx, FLOAT32, true, false, 2);
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", t), Map.of("y", out)));
        MLTensor in = tensor(ctx, FLOAT32, false, true, 2);
        throwsError("TypeError", () -> ctx.dispatch(g, Map.of("x", in), Map.of("y", t)));
    }

    @Test
    void pendingReadsAreRejectedWhenTheTensorIsDestroyed() {
        MLTensor t = tensor(ctx, FLOAT32, true, true, 2);
        keepTimelineBusy(ctx); // the reads below stay queued behind this work
        CompletableFuture<ByteBuffer> first = ctx.readTensor(t);
        CompletableFuture<Void> second = ctx.readTensor(t, ByteBuffer.allocate(8));
        t.destroy();
        // spec MLTensor.destroy(): every pending promise rejects with InvalidStateError
        rejects("InvalidStateError", first);
        rejects("InvalidStateError", second);
    }

    @Test
    void tensorsOfAnotherContextAreATypeError() {
        MLContext other = context();
        try {
            MLTensor mine = tensor(ctx, INT32, true, true, 2, 3);
            MLTensor theirs = tensor(other, INT32, true, true, 2, 3);
            throwsError("TypeError", () -> ctx.writeTensor(theirs, new int[6]));
            throwsError("TypeError", () -> other.writeTensor(mine, new int[6]));
            rejects("TypeError", ctx.readTensor(theirs));
            rejects("TypeError", other.readTensor(mine));
        } finally {
            other.destroy();
        }
    }

    @Test
    void createTensorRejectsBadDescriptors() {
        rejects("TypeError", ctx.createTensor(null));
        rejects("TypeError", ctx.createTensor(Api.desc(FLOAT32, true, true, 2, 0)));
        rejects("TypeError", ctx.createTensor(Api.desc(FLOAT32, true, true, -1)));
        long limit = ctx.opSupportLimits().maxTensorByteLength();
        rejects("TypeError", ctx.createTensor(Api.desc(INT32, false, true, limit / 4 + 1)));
        rejects("TypeError", ctx.createTensor(Api.desc(FLOAT32, false, true, 1L << 32)));
    }

    @Test
    void constantTensorsAreImmutableGraphConstants() {
        MLTensor c = await(ctx.createConstantTensor(new MLOperandDescriptor(FLOAT32, 2), ByteBuffer.wrap(floatBytes(-1f, 3f))));
        assertTrue(c.constant());
        assertFalse(c.readable());
        assertFalse(c.writable());
        throwsError("TypeError", () -> ctx.writeTensor(c, new float[2]));
        rejects("TypeError", ctx.readTensor(c));
        rejects("TypeError", ctx.createConstantTensor(new MLOperandDescriptor(FLOAT32, 2), ByteBuffer.wrap(new byte[12])));
        rejects("TypeError", ctx.createConstantTensor(new MLOperandDescriptor(FLOAT32, 2), ByteBuffer.wrap(new byte[4])));

        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLGraph g = await(b.build(Map.of("y", b.relu(b.constant(c)))));
        // a constant tensor may be destroyed once the graph is built
        c.destroy();
        MLTensor out = tensor(ctx, FLOAT32, true, false, 2);
        ctx.dispatch(g, Map.of(), Map.of("y", out));
        assertArrayEquals(new float[] {0f, 3f}, readFloats(ctx, out));
    }

    static byte[] floatBytes(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    /**
     * Queues several large float16 relu dispatches so that work queued right after them stays
     * pending for a long time (tens of milliseconds at least). Returns the tensors involved.
     */
    static List<MLTensor> keepTimelineBusy(MLContext ctx) {
        long n = 1L << 21;
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLGraph g = await(b.build(Map.of("y", b.relu(b.input("x", new MLOperandDescriptor(FLOAT16, n))))));
        MLTensor in = tensor(ctx, FLOAT16, false, true, n);
        MLTensor out = tensor(ctx, FLOAT16, false, false, n);
        for (int i = 0; i < 8; i++) ctx.dispatch(g, Map.of("x", in), Map.of("y", out));
        return new ArrayList<>(List.of(in, out));
    }
}
