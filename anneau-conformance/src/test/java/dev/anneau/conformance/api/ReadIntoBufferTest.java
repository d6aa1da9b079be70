package dev.anneau.conformance.api;

import static dev.anneau.conformance.api.Api.await;
import static dev.anneau.conformance.api.Api.context;
import static dev.anneau.conformance.api.Api.rejects;
import static dev.anneau.conformance.api.Api.tensor;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code readTensor(tensor, destination)}: the bring-your-own-buffer read (WPT
 * {@code byob_readtensor.https.any.js}). The Java form writes at the buffer's position, which
 * plays the role of a typed array's byte offset.
 */
class ReadIntoBufferTest {
    private static final int[] CONTENTS = {0, 1, 2, 3, 4, 5, 6, 7};

    private MLContext ctx;
    private MLTensor t;

    @BeforeEach
    void open() {
        ctx = context();
        t = tensor(ctx, INT32, true, true, 2, 4);
        ctx.writeTensor(t, CONTENTS);
    }

    @AfterEach
    void close() { ctx.destroy(); }

    @Test
    void readsIntoAnExactlySizedBuffer() {
        ByteBuffer dst = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        assertNull(await(ctx.readTensor(t, dst)));
        for (int i = 0; i < CONTENTS.length; i++) assertEquals(CONTENTS[i], dst.getInt(4 * i));
    }

    @Test
    void readsIntoADirectBuffer() {
        ByteBuffer dst = ByteBuffer.allocateDirect(32).order(ByteOrder.LITTLE_ENDIAN);
        await(ctx.readTensor(t, dst));
        assertEquals(7, dst.getInt(28));
    }

    @Test
    void aTooSmallBufferRejectsWithTypeError() {
        rejects("TypeError", ctx.readTensor(t, ByteBuffer.allocate(32 - 4)));
        rejects("TypeError", ctx.readTensor(t, ByteBuffer.allocate(0)));
        ByteBuffer positioned = ByteBuffer.allocate(32);
        positioned.position(1); // 31 bytes left
        rejects("TypeError", ctx.readTensor(t, positioned));
    }

    @Test
    void readOnlyAndMissingBuffersRejectWithTypeError() {
        rejects("TypeError", ctx.readTensor(t, ByteBuffer.allocate(32).asReadOnlyBuffer()));
        rejects("TypeError", ctx.readTensor(t, null));
    }

    @Test
    void writesAtThePositionAndLeavesTheRestAlone() {
        ByteBuffer dst = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 48; i++) dst.put(i, (byte) 0x5A);
        dst.position(8);
        await(ctx.readTensor(t, dst));
        assertEquals(8, dst.position(), "the caller's position is not moved");
        for (int i = 0; i < 8; i++) assertEquals((byte) 0x5A, dst.get(i), "byte " + i + " before the data");
        for (int i = 0; i < CONTENTS.length; i++) assertEquals(CONTENTS[i], dst.getInt(8 + 4 * i));
        for (int i = 40; i < 48; i++) assertEquals((byte) 0x5A, dst.get(i), "byte " + i + " after the data");
    }

    @Test
    void aSliceActsAsAnOffsetView() {
        ByteBuffer backing = ByteBuffer.allocate(64);
        ByteBuffer view = backing.slice(16, 32).order(ByteOrder.LITTLE_ENDIAN);
        await(ctx.readTensor(t, view));
        assertEquals(CONTENTS[3], backing.order(ByteOrder.LITTLE_ENDIAN).getInt(16 + 12));
        assertEquals(0, backing.getInt(12));
        assertEquals(0, backing.getInt(48));
    }

    @Test
    void readingANonReadableTensorRejects() {
        MLTensor w = tensor(ctx, INT32, false, true, 2);
        rejects("TypeError", ctx.readTensor(w, ByteBuffer.allocate(8)));
    }
}
