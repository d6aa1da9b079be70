package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ReductionTestSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.MLArgMinMaxOptions;
import dev.anneau.webnn.MLCumulativeSumOptions;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import org.junit.jupiter.api.Test;

/** Reductions, argMin/argMax and cumulativeSum: cases the WPT graph tests do not pin down. */
class ReductionKernelsTest {

    // ------------------------------------------------------------------ shapes and validation

    @Test
    void axesDefaultEmptyAndKeepDimensions() {
        assertShape(build(b -> b.reduceSum(f32(b, shape(2, 3, 4), new float[24]))), FLOAT32);
        assertShape(build(b -> b.reduceSum(f32(b, shape(2, 3, 4), new float[24]), new MLReduceOptions().withAxes())),
                FLOAT32, 2, 3, 4);
        assertShape(build(b -> b.reduceSum(f32(b, shape(2, 3, 4), new float[24]),
                new MLReduceOptions().withAxes(2, 0).withKeepDimensions(true))), FLOAT32, 1, 3, 1);
        assertShape(build(b -> b.reduceMax(f32(b, shape(2, 3, 4), new float[24]), new MLReduceOptions().withAxes(1))),
                FLOAT32, 2, 4);
        // a 0-D input reduces to a 0-D output
        assertShape(build(b -> b.reduceL2(f32(b, shape(), 1f))), FLOAT32);
    }

    @Test
    void reduceRejectsBadAxesWithLabel() {
        assertTypeError("r", b -> b.reduceSum(f32(b, shape(1, 2, 5, 5), new float[50]),
                new MLReduceOptions().withAxes(4).withLabel("r")), "reduceSum", "axis 4", "[0, 4)");
        assertTypeError("r", b -> b.reduceMean(f32(b, shape(1, 2, 5, 5), new float[50]),
                new MLReduceOptions().withAxes(0, 1, 1).withLabel("r")), "reduceMean", "axis 1", "twice");
        assertTypeError("r", b -> b.reduceMin(f32(b, shape(2), 1, 2),
                new MLReduceOptions().withAxes(-1).withLabel("r")), "axis -1");
        assertTypeError("r", b -> b.reduceSum(f32(b, shape(), 1f), new MLReduceOptions().withAxes(0).withLabel("r")),
                "axis 0", "[0, 0)");
    }

    @Test
    void reduceDataTypesFollowTheSpecTable() {
        assertTypeError("m", b -> b.reduceMean(i32(b, shape(2), 1, 2), new MLReduceOptions().withLabel("m")),
                "input", "int32");
        assertTypeError("m", b -> b.reduceL2(i64(b, shape(2), 1, 2), new MLReduceOptions().withLabel("m")), "int64");
        assertShape(build(b -> b.reduceProduct(i32(b, shape(2), 1, 2))), INT32);
        assertShape(build(b -> b.reduceMax(i8(b, shape(2), (byte) 1, (byte) 2))), MLOperandDataType.INT8);
    }

    // ------------------------------------------------------------------ reduce* values

    @Test
    void emptyAxesAppliesTheFunctionToEachElement() {
        float[] x = {-3f, 4f, 0.5f};
        assertArrayEquals(new float[] {3f, 4f, 0.5f},
                runF32(b -> b.reduceL2(f32(b, shape(3), x), new MLReduceOptions().withAxes())));
        assertArrayEquals(new float[] {9f, 16f, 0.25f},
                runF32(b -> b.reduceSumSquare(f32(b, shape(3), x), new MLReduceOptions().withAxes())));
        assertArrayEquals(new float[] {3f, 4f, 0.5f},
                runF32(b -> b.reduceL1(f32(b, shape(3), x), new MLReduceOptions().withAxes())));
        float[] lse = runF32(b -> b.reduceLogSumExp(f32(b, shape(3), x), new MLReduceOptions().withAxes()));
        assertArrayEquals(x, lse, 1e-6f);
    }

    @Test
    void reduceOverInnerOuterAndMixedAxes() {
        // x[i][j][k] = 100 i + 10 j + k, shape [2, 3, 2]
        float[] x = new float[12];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) x[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
        // over axes 0 and 2: sum_i sum_k = 2*(0+100)/... computed per j: 2*100 + 4*10 j + 2*1 = 202 + 40 j
        assertArrayEquals(new float[] {202, 242, 282},
                runF32(b -> b.reduceSum(f32(b, shape(2, 3, 2), x), new MLReduceOptions().withAxes(2, 0))));
        // over axis 1 only: 3 * (100 i + k) + 10 * (0 + 1 + 2)
        assertArrayEquals(new float[] {30, 33, 330, 333},
                runF32(b -> b.reduceSum(f32(b, shape(2, 3, 2), x), new MLReduceOptions().withAxes(1))));
        assertArrayEquals(new float[] {121},
                runF32(b -> b.reduceMax(f32(b, shape(2, 3, 2), x))));
        assertArrayEquals(new float[] {0, 1, 100, 101},
                runF32(b -> b.reduceMin(f32(b, shape(2, 3, 2), x), new MLReduceOptions().withAxes(1))));
    }

    @Test
    void logSumExpIsStableForLargeAndInfiniteInputs() {
        float[] r = runF32(b -> b.reduceLogSumExp(f32(b, shape(2), 1000f, 1000f)));
        assertEquals((float) (1000 + Math.log(2)), r[0]);
        r = runF32(b -> b.reduceLogSumExp(f32(b, shape(2), -1000f, -1000f)));
        assertEquals((float) (-1000 + Math.log(2)), r[0]);
        r = runF32(b -> b.reduceLogSumExp(f32(b, shape(2), Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY)));
        assertEquals(Float.NEGATIVE_INFINITY, r[0]);
        r = runF32(b -> b.reduceLogSumExp(f32(b, shape(2), Float.POSITIVE_INFINITY, 1f)));
        assertEquals(Float.POSITIVE_INFINITY, r[0]);
    }

    @Test
    void float16ReductionsAccumulateWiderThanHalf() {
        // 4 * 60000 overflows float16 (max 65504); the mean is exactly 60000
        float[] r = runF16(b -> b.reduceMean(f16(b, shape(4), 60000f, 60000f, 60000f, 60000f)));
        assertEquals(60000f, r[0]);
        // 2048 + 1 + 1 + 1 + 1: adding 1 to 2048 in half stays 2048; the exact sum 2052 is a half value
        r = runF16(b -> b.reduceSum(f16(b, shape(5), 2048f, 1f, 1f, 1f, 1f)));
        assertEquals(2052f, r[0]);
    }

    @Test
    void integerReductionsAreExact() {
        long big = 1L << 62;
        assertArrayEquals(new long[] {big + 3}, runI64(b -> b.reduceSum(i64(b, shape(3), big, 1, 2))));
        assertArrayEquals(new long[] {big}, runI64(b -> b.reduceProduct(i64(b, shape(3), 1L << 31, 1L << 31, 1))));
        // 2^54 + 9 is odd and above 2^53: a double accumulator would lose it
        assertArrayEquals(new long[] {(1L << 54) + 9}, runI64(b -> b.reduceSumSquare(i64(b, shape(2), 1L << 27, 3))));
        assertArrayEquals(new long[] {6}, runI64(b -> b.reduceL1(i64(b, shape(3), -1, -2, 3))));
        // uint32: 3e9 + 1e9 fits in uint32 (max 4294967295), but not in int32
        int[] r = runI32(b -> b.reduceSum(u32(b, shape(2), (int) 3_000_000_000L, 1_000_000_000)));
        assertEquals(4_000_000_000L, Integer.toUnsignedLong(r[0]));
        // uint64: 2^63 + 5 is the largest, as an unsigned value
        long[] m = runI64(b -> b.reduceMax(u64(b, shape(3), 7, Long.MIN_VALUE + 5, 3)));
        assertEquals(Long.MIN_VALUE + 5, m[0]);
        m = runI64(b -> b.reduceMin(u64(b, shape(3), 7, Long.MIN_VALUE + 5, 3)));
        assertEquals(3, m[0]);
        // uint64 L1 takes values above 2^63 as they are (no sign): (2^64 - 2) + 3 wraps to 1
        m = runI64(b -> b.reduceL1(u64(b, shape(2), -2L, 3)));
        assertEquals(1, m[0]);
    }

    // ------------------------------------------------------------------ argMin / argMax

    @Test
    void argMinMaxShapesAndValidation() {
        assertShape(build(b -> b.argMax(f32(b, shape(1, 2, 3, 4), new float[24]), 1)), INT32, 1, 3, 4);
        assertShape(build(b -> b.argMin(f32(b, shape(1, 2, 3, 4), new float[24]), 3,
                new MLArgMinMaxOptions().withKeepDimensions(true).withOutputDataType(INT64))), INT64, 1, 2, 3, 1);
        assertTypeError("a", b -> b.argMin(f32(b, shape(1, 2, 3, 4), new float[24]), 4,
                new MLArgMinMaxOptions().withLabel("a")), "argMin", "axis (4)", "[0, 4)");
        assertTypeError("a", b -> b.argMax(f32(b, shape(), 1f), 0, new MLArgMinMaxOptions().withLabel("a")), "argMax");
        assertTypeError("a", b -> b.argMax(f32(b, shape(2), 1, 2), 0,
                new MLArgMinMaxOptions().withOutputDataType(FLOAT32).withLabel("a")), "outputDataType", "float32");
    }

    @Test
    void argMinMaxTiesGoToTheFirstIndex() {
        // shape [2, 4]; along axis 1
        float[] x = {1, 5, 5, 0, 3, 3, 3, 3};
        assertArrayEquals(new int[] {1, 0}, runI32(b -> b.argMax(f32(b, shape(2, 4), x), 1)));
        assertArrayEquals(new int[] {3, 0}, runI32(b -> b.argMin(f32(b, shape(2, 4), x), 1)));
        // along axis 0, with int64 output
        assertArrayEquals(new long[] {1, 0, 0, 1}, runI64(b -> b.argMax(f32(b, shape(2, 4), x), 0,
                new MLArgMinMaxOptions().withOutputDataType(INT64))));
    }

    @Test
    void argMinMaxOnIntegers() {
        assertArrayEquals(new int[] {2}, runI32(b -> b.argMin(i32(b, shape(3), 5, -1, -7), 0)));
        assertArrayEquals(new int[] {1}, runI32(b -> b.argMax(u64(b, shape(3), 7, -1L, 9), 0)));
        assertArrayEquals(new int[] {0}, runI32(b -> b.argMin(u64(b, shape(3), 7, -1L, 9), 0)));
    }

    // ------------------------------------------------------------------ cumulativeSum

    @Test
    void cumulativeSumOptions() {
        float[] x = {1, 2, 3, 4};
        assertArrayEquals(new float[] {1, 3, 6, 10}, runF32(b -> b.cumulativeSum(f32(b, shape(4), x), 0)));
        assertArrayEquals(new float[] {0, 1, 3, 6}, runF32(b -> b.cumulativeSum(f32(b, shape(4), x), 0,
                new MLCumulativeSumOptions().withExclusive(true))));
        assertArrayEquals(new float[] {10, 9, 7, 4}, runF32(b -> b.cumulativeSum(f32(b, shape(4), x), 0,
                new MLCumulativeSumOptions().withReversed(true))));
        assertArrayEquals(new float[] {9, 7, 4, 0}, runF32(b -> b.cumulativeSum(f32(b, shape(4), x), 0,
                new MLCumulativeSumOptions().withExclusive(true).withReversed(true))));
    }

    @Test
    void cumulativeSumAlongAMiddleAxis() {
        // shape [2, 2, 2], along axis 1: out[i][1][k] = x[i][0][k] + x[i][1][k]
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(new float[] {1, 2, 4, 6, 5, 6, 12, 14},
                runF32(b -> b.cumulativeSum(f32(b, shape(2, 2, 2), x), 1)));
        long big = 1L << 60;
        assertArrayEquals(new long[] {big, big + 1, big + 3},
                runI64(b -> b.cumulativeSum(i64(b, shape(3), big, 1, 2), 0)));
    }

    @Test
    void cumulativeSumValidation() {
        assertTypeError("c", b -> b.cumulativeSum(f32(b, shape(), 1f), 0, new MLCumulativeSumOptions().withLabel("c")),
                "cumulativeSum", "input", "rank");
        assertTypeError("c", b -> b.cumulativeSum(f32(b, shape(1, 2, 3), new float[6]), 3,
                new MLCumulativeSumOptions().withLabel("c")), "axis (3)", "[0, 3)");
        assertTypeError("c", b -> b.cumulativeSum(i8(b, shape(2), (byte) 1, (byte) 2), 0,
                new MLCumulativeSumOptions().withLabel("c")), "int8");
    }
}
