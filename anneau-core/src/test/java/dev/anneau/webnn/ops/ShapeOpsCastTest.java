package dev.anneau.webnn.ops;

import static dev.anneau.webnn.MLOperandDataType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The spec's "cast" of an MLNumber (used for pad's value), per the ConvertToInt/ConvertToFloat steps. */
class ShapeOpsCastTest {

    @Test
    void integersClampThenRoundHalfToEven() {
        assertEquals(2L, ShapeOps.cast(2.5, INT32));
        assertEquals(4L, ShapeOps.cast(3.5, INT32));
        assertEquals(-2L, ShapeOps.cast(-2.5, INT8));
        assertEquals(3L, ShapeOps.cast(2.6, UINT8));
        assertEquals((long) Integer.MAX_VALUE, ShapeOps.cast(1e10, INT32));
        assertEquals((long) Integer.MIN_VALUE, ShapeOps.cast(-1e10, INT32));
        assertEquals(0L, ShapeOps.cast(-1, UINT32));
        assertEquals(0xFFFF_FFFFL, ShapeOps.cast(1e10, UINT32));
        assertEquals(127L, ShapeOps.cast(300L, INT8));
        assertEquals(0L, ShapeOps.cast(-300L, UINT8));
    }

    @Test
    void nanAndInfinityToIntegers() {
        assertEquals(0L, ShapeOps.cast(Double.NaN, INT64));
        assertEquals(0L, ShapeOps.cast(Double.NaN, UINT8));
        assertEquals(Long.MAX_VALUE, ShapeOps.cast(Double.POSITIVE_INFINITY, INT64));
        assertEquals(Long.MIN_VALUE, ShapeOps.cast(Double.NEGATIVE_INFINITY, INT64));
        assertEquals(-1L, ShapeOps.cast(Double.POSITIVE_INFINITY, UINT64)); // 2^64-1 as a bit pattern
    }

    @Test
    void sixtyFourBitIntegersStayExact() {
        BigInteger twoTo64Minus1 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertEquals(-1L, ShapeOps.cast(twoTo64Minus1, UINT64));
        assertEquals(-1L, ShapeOps.cast(BigInteger.ONE.shiftLeft(70), UINT64));
        assertEquals(Long.MAX_VALUE, ShapeOps.cast(BigInteger.ONE.shiftLeft(70), INT64));
        assertEquals(Long.MIN_VALUE, ShapeOps.cast(BigInteger.ONE.shiftLeft(70).negate(), INT64));
        assertEquals(9007199254740993L, ShapeOps.cast(9007199254740993L, INT64)); // 2^53 + 1
        assertEquals(Long.MIN_VALUE, ShapeOps.cast(9.223372036854775808E18, UINT64)); // 2^63 -> bit 63 set
        assertEquals(0L, ShapeOps.cast(-5L, UINT64));
    }

    @Test
    void floatsRoundToNearestEvenAndOverflowToInfinity() {
        assertEquals(16777216.0, ShapeOps.cast(16777217L, FLOAT32)); // 2^24 + 1 ties to even
        assertEquals(Double.POSITIVE_INFINITY, ShapeOps.cast(1e39, FLOAT32));
        assertEquals(Double.POSITIVE_INFINITY, ShapeOps.cast(70000, FLOAT16));
        assertEquals(65504.0, ShapeOps.cast(65519, FLOAT16)); // below the half-way point 65520
        assertEquals(Double.POSITIVE_INFINITY, ShapeOps.cast(65520, FLOAT16));
        assertEquals(0.333251953125, ShapeOps.cast(1.0 / 3, FLOAT16)); // 0x3555
        assertTrue(Double.isNaN(ShapeOps.cast(Double.NaN, FLOAT32).doubleValue()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ShapeOps.cast(-0.0, FLOAT16).doubleValue()));
    }
}
