package dev.anneau.backend.cpu;

import static dev.anneau.webnn.MLOperandDataType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.*;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shape-family kernels on cases the WPT suite does not cover: data types other than float32
 * (bit exactness of 64-bit integers and NaN payloads), out-of-range and negative indices,
 * pad values cast to integer types, and outputs that must be fully overwritten.
 */
class ShapeKernelsTest {
    private static MLContext ctx;

    @BeforeAll
    static void open() { ctx = ML.createContext(new MLContextOptions().withBackend("cpu")).join(); }

    @AfterAll
    static void close() { ctx.destroy(); }

    // ------------------------------------------------------------------ helpers

    private static ByteBuffer run(Function<MLGraphBuilder, MLOperand> graph) {
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand y = graph.apply(b);
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(y.dataType(), y.shape(), true, false)).join();
        return dispatch(b, y, out);
    }

    private static ByteBuffer dispatch(MLGraphBuilder b, MLOperand y, MLTensor out) {
        MLGraph g = b.build(Map.of("y", y)).join();
        ctx.dispatch(g, Map.of(), Map.of("y", out));
        return ctx.readTensor(out).join().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long[] longs(ByteBuffer r) {
        long[] v = new long[r.remaining() / 8];
        r.asLongBuffer().get(v);
        return v;
    }

    private static int[] ints(ByteBuffer r) {
        int[] v = new int[r.remaining() / 4];
        r.asIntBuffer().get(v);
        return v;
    }

    private static float[] floats(ByteBuffer r) {
        float[] v = new float[r.remaining() / 4];
        r.asFloatBuffer().get(v);
        return v;
    }

    private static byte[] bytes(ByteBuffer r) {
        byte[] v = new byte[r.remaining()];
        r.get(v);
        return v;
    }

    private static MLOperandDescriptor d(MLOperandDataType t, long... shape) { return new MLOperandDescriptor(t, shape); }

    // ------------------------------------------------------------------ bit exactness

    @Test
    void transposeMovesInt64ValuesBeyondDoublePrecision() {
        long big = (1L << 53) + 1;
        long[] in = {Long.MAX_VALUE, Long.MIN_VALUE, big, -1, 0, -big}; // [2,3]
        long[] got = longs(run(b -> b.transpose(b.constant(d(INT64, 2, 3), in))));
        // out[j][i] = in[i][j]
        assertArrayEquals(new long[] {Long.MAX_VALUE, -1, Long.MIN_VALUE, 0, big, -big}, got);
    }

    @Test
    void concatAndReverseKeepNaNPayloads() {
        float nan1 = Float.intBitsToFloat(0x7fc12345), nan2 = Float.intBitsToFloat(0xffc54321);
        MLOperand[] ops = new MLOperand[1];
        float[] got = floats(run(b -> {
            MLOperand a = b.constant(d(FLOAT32, 2), new float[] {nan1, 1f});
            MLOperand c = b.constant(d(FLOAT32, 1), new float[] {nan2});
            return ops[0] = b.reverse(b.concat(java.util.List.of(a, c), 0));
        }));
        assertEquals(0xffc54321, Float.floatToRawIntBits(got[0]));
        assertEquals(1f, got[1]);
        assertEquals(0x7fc12345, Float.floatToRawIntBits(got[2]));
    }

    @Test
    void expandBroadcastsUint64Scalar() {
        long[] got = longs(run(b -> b.expand(b.constant(d(UINT64), new long[] {-1L}), new long[] {2, 3})));
        assertArrayEquals(new long[] {-1L, -1L, -1L, -1L, -1L, -1L}, got);
    }

    @Test
    void tileRepeatsInt64Blocks() {
        // [[1,2],[3,4]] tiled [2,3] -> rows: 1 2 1 2 1 2 / 3 4 3 4 3 4, twice
        long[] got = longs(run(b -> b.tile(b.constant(d(INT64, 2, 2), new long[] {1, 2, 3, 4}), new int[] {2, 3})));
        long[] r0 = {1, 2, 1, 2, 1, 2}, r1 = {3, 4, 3, 4, 3, 4};
        long[] want = new long[24];
        for (int rep = 0; rep < 2; rep++) {
            System.arraycopy(r0, 0, want, rep * 12, 6);
            System.arraycopy(r1, 0, want, rep * 12 + 6, 6);
        }
        assertArrayEquals(want, got);
    }

    @Test
    void sliceWithStridesOnUint32() {
        int[] in = new int[20]; // [4,5], value = 10*row + col, top bit set to exercise unsigned values
        for (int r = 0; r < 4; r++) for (int c = 0; c < 5; c++) in[r * 5 + c] = 0x8000_0000 | (10 * r + c);
        // rows 1..3 step 2 -> {1,3}; cols 0..4 step 3 -> {0,3}
        int[] got = ints(run(b -> b.slice(b.constant(d(UINT32, 4, 5), in), new int[] {1, 0}, new int[] {3, 5},
                new MLSliceOptions().withStrides(2, 3))));
        assertArrayEquals(new int[] {0x8000_0000 | 10, 0x8000_0000 | 13, 0x8000_0000 | 30, 0x8000_0000 | 33}, got);
    }

    @Test
    void sliceStrideBeyondTheSizeTakesTheStart() {
        // strides are unsigned: -1 is 2^32-1
        float[] got = floats(run(b -> b.slice(b.constant(d(FLOAT32, 2, 5), new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
                new int[] {0, 2}, new int[] {2, 3}, new MLSliceOptions().withStrides(1, -1))));
        assertArrayEquals(new float[] {2, 7}, got);
    }

    @Test
    void splitAlongInnerAxisOfInt8() {
        byte[] in = {1, 2, 3, 4, 5, 6, -7, -8}; // [2,4]
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand[] parts = b.split(b.constant(d(INT8, 2, 4), in), new int[] {1, 3}, new MLSplitOptions().withAxis(1));
        MLGraph g = b.build(Map.of("p0", parts[0], "p1", parts[1])).join();
        MLTensor t0 = ctx.createTensor(new MLTensorDescriptor(INT8, new long[] {2, 1}, true, false)).join();
        MLTensor t1 = ctx.createTensor(new MLTensorDescriptor(INT8, new long[] {2, 3}, true, false)).join();
        ctx.dispatch(g, Map.of(), Map.of("p0", t0, "p1", t1));
        assertArrayEquals(new byte[] {1, 5}, bytes(ctx.readTensor(t0).join()));
        assertArrayEquals(new byte[] {2, 3, 4, 6, -7, -8}, bytes(ctx.readTensor(t1).join()));
    }

    // ------------------------------------------------------------------ indices

    @Test
    void gatherClampsOutOfRangeIndicesAfterAddingTheAxisSize() {
        long[] idx = {-1, -3, -4, 3, 100, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        float[] got = floats(run(b -> b.gather(b.constant(d(FLOAT32, 3), new float[] {10, 20, 30}), b.constant(d(INT64, 8), idx))));
        assertArrayEquals(new float[] {30, 10, 10, 30, 30, 10, 30, 20}, got);
    }

    @Test
    void gatherReadsUint32IndicesAsUnsigned() {
        // 0x80000000 is 2147483648 (clamped to the last position), not -2^31 (which would clamp to 0);
        // 0xFFFFFFFF likewise clamps to the last position
        int[] idx = {0xFFFF_FFFF, 0x8000_0000, 0};
        int[] in = {1, 2, 3, 4, 5, 6}; // [2,3]
        int[] got = ints(run(b -> b.gather(b.constant(d(INT32, 2, 3), in), b.constant(d(UINT32, 3), idx),
                new MLGatherOptions().withAxis(1))));
        assertArrayEquals(new int[] {3, 3, 1, 6, 6, 4}, got);
    }

    @Test
    void gatherWithScalarIndexGivesLowerRank() {
        MLOperand[] y = new MLOperand[1];
        float[] got = floats(run(b -> y[0] = b.gather(b.constant(d(FLOAT32, 3, 2), new float[] {1, 2, 3, 4, 5, 6}),
                b.constant(d(INT32), new int[] {-1}))));
        assertArrayEquals(new long[] {2}, y[0].shape());
        assertArrayEquals(new float[] {5, 6}, got);
    }

    @Test
    void gatherElementsClampsAlongItsAxis() {
        float[] in = {1, 2, 3, 4, 5, 6}; // [2,3]
        int[] idx = {2, -1, 9, -9}; // [2,2] on axis 1 -> cols {2,2,2,0}
        float[] got = floats(run(b -> b.gatherElements(b.constant(d(FLOAT32, 2, 3), in), b.constant(d(INT32, 2, 2), idx),
                new MLGatherOptions().withAxis(1))));
        assertArrayEquals(new float[] {3, 3, 6, 4}, got);
    }

    @Test
    void gatherNDClampsEachCoordinate() {
        float[] in = {1, 2, 3, 4}; // [2,2]
        int[] idx = {5, -1, -7, 0}; // tuples (5,-1) -> (1,1); (-7,0) -> (0,0)
        float[] got = floats(run(b -> b.gatherND(b.constant(d(FLOAT32, 2, 2), in), b.constant(d(INT32, 2, 2), idx))));
        assertArrayEquals(new float[] {4, 1}, got);
    }

    @Test
    void scatterElementsWritesClampedPositionsOverACopy() {
        float[] in = {9, 9, 9, 9, 9}; // [1,5]
        long[] idx = {1, 20, -6}; // 1; 20 -> 4; -6 -> -1 -> 0
        float[] upd = {1, 2, 3};
        float[] got = floats(run(b -> b.scatterElements(b.constant(d(FLOAT32, 1, 5), in), b.constant(d(INT64, 1, 3), idx),
                b.constant(d(FLOAT32, 1, 3), upd), new MLScatterOptions().withAxis(1))));
        assertArrayEquals(new float[] {3, 1, 9, 9, 2}, got);
    }

    @Test
    void scatterNDReplacesRowsWithNegativeIndices() {
        int[] in = {0, 0, 1, 1, 2, 2, 3, 3}; // [4,2]
        int[] idx = {1, -1}; // [2,1]: rows 1 and 3
        int[] upd = {7, 8, 9, 10}; // [2,2]
        int[] got = ints(run(b -> b.scatterND(b.constant(d(INT32, 4, 2), in), b.constant(d(INT32, 2, 1), idx),
                b.constant(d(INT32, 2, 2), upd))));
        assertArrayEquals(new int[] {0, 0, 7, 8, 2, 2, 9, 10}, got);
    }

    // ------------------------------------------------------------------ pad

    private static final float[] SPEC_PAD_INPUT = {1, 2, 3, 4, 5, 6}; // [2,3], the spec's example

    @Test
    void padModesMatchTheSpecExamples() {
        float[] constant = floats(run(b -> b.pad(b.constant(d(FLOAT32, 2, 3), SPEC_PAD_INPUT), new int[] {1, 2}, new int[] {1, 2})));
        assertArrayEquals(new float[] {
            0, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 3, 0, 0,
            0, 0, 4, 5, 6, 0, 0,
            0, 0, 0, 0, 0, 0, 0}, constant);
        float[] edge = floats(run(b -> b.pad(b.constant(d(FLOAT32, 2, 3), SPEC_PAD_INPUT), new int[] {1, 2}, new int[] {1, 2},
                new MLPadOptions().withMode(MLPaddingMode.EDGE))));
        assertArrayEquals(new float[] {
            1, 1, 1, 2, 3, 3, 3,
            1, 1, 1, 2, 3, 3, 3,
            4, 4, 4, 5, 6, 6, 6,
            4, 4, 4, 5, 6, 6, 6}, edge);
        float[] reflection = floats(run(b -> b.pad(b.constant(d(FLOAT32, 2, 3), SPEC_PAD_INPUT), new int[] {1, 2}, new int[] {1, 2},
                new MLPadOptions().withMode(MLPaddingMode.REFLECTION))));
        assertArrayEquals(new float[] {
            6, 5, 4, 5, 6, 5, 4,
            3, 2, 1, 2, 3, 2, 1,
            6, 5, 4, 5, 6, 5, 4,
            3, 2, 1, 2, 3, 2, 1}, reflection);
    }

    @Test
    void padValueIsCastToTheIntegerType() {
        int[] got = ints(run(b -> b.pad(b.constant(d(INT32, 1), new int[] {5}), new int[] {1}, new int[] {1},
                new MLPadOptions().withValue(2.5))));
        assertArrayEquals(new int[] {2, 5, 2}, got); // 2.5 rounds half to even
        int[] sat = ints(run(b -> b.pad(b.constant(d(INT32, 1), new int[] {5}), new int[] {0}, new int[] {1},
                new MLPadOptions().withValue(1e12))));
        assertArrayEquals(new int[] {5, Integer.MAX_VALUE}, sat);
        byte[] u8 = bytes(run(b -> b.pad(b.constant(d(UINT8, 1), new byte[] {7}), new int[] {2}, new int[] {0},
                new MLPadOptions().withValue(-3))));
        assertArrayEquals(new byte[] {0, 0, 7}, u8);
        long[] u64 = longs(run(b -> b.pad(b.constant(d(UINT64, 1), new long[] {7}), new int[] {1}, new int[] {0},
                new MLPadOptions().withValue(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE)))));
        assertArrayEquals(new long[] {-1L, 7}, u64);
    }

    @Test
    void padOfAScalarIsACopy() {
        float[] got = floats(run(b -> b.pad(b.constant(d(FLOAT32), new float[] {42}), new int[0], new int[0])));
        assertArrayEquals(new float[] {42}, got);
    }

    // ------------------------------------------------------------------ triangular and full overwrites

    @Test
    void triangularExtremeDiagonalsOnInt64() {
        long[] in = {1, 2, 3, 4, 5, 6}; // [2,3]
        assertArrayEquals(new long[6], longs(run(b -> b.triangular(b.constant(d(INT64, 2, 3), in),
                new MLTriangularOptions().withDiagonal(Integer.MAX_VALUE)))));
        assertArrayEquals(new long[6], longs(run(b -> b.triangular(b.constant(d(INT64, 2, 3), in),
                new MLTriangularOptions().withUpper(false).withDiagonal(Integer.MIN_VALUE)))));
        assertArrayEquals(in, longs(run(b -> b.triangular(b.constant(d(INT64, 2, 3), in),
                new MLTriangularOptions().withUpper(false).withDiagonal(Integer.MAX_VALUE)))));
        assertArrayEquals(in, longs(run(b -> b.triangular(b.constant(d(INT64, 2, 3), in),
                new MLTriangularOptions().withDiagonal(Integer.MIN_VALUE)))));
    }

    @Test
    void triangularAndPadOverwriteEveryOutputElement() {
        // fill the output tensor with ones first, then run ops whose results contain zeros
        MLTensor out = ctx.createTensor(new MLTensorDescriptor(FLOAT32, new long[] {3, 3}, true, false)).join();
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        MLGraphBuilder b0 = new MLGraphBuilder(ctx);
        dispatch(b0, b0.reshape(b0.constant(d(FLOAT32, 9), ones), new long[] {3, 3}), out);
        MLGraphBuilder b1 = new MLGraphBuilder(ctx);
        float[] tri = floats(dispatch(b1, b1.triangular(b1.constant(d(FLOAT32, 3, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                new MLTriangularOptions().withUpper(false)), out));
        assertArrayEquals(new float[] {1, 0, 0, 4, 5, 0, 7, 8, 9}, tri);
        dispatch(b0 = new MLGraphBuilder(ctx), b0.reshape(b0.constant(d(FLOAT32, 9), ones), new long[] {3, 3}), out);
        MLGraphBuilder b2 = new MLGraphBuilder(ctx);
        float[] padded = floats(dispatch(b2, b2.pad(b2.constant(d(FLOAT32, 1, 1), new float[] {5}), new int[] {1, 1}, new int[] {1, 1}), out));
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 0, 0, 0, 0}, padded);
    }
}
