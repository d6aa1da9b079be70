package dev.anneau.conformance;

import static dev.anneau.webnn.MLOperandDataType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ToleranceTest {

    static JsonNode json(String s) throws Exception { return WptSuite.JSON.readTree(s); }

    static ByteBuffer f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.flip();
    }

    static ByteBuffer f16(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) b.putShort((short) x);
        return b.flip();
    }

    static ByteBuffer i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.flip();
    }

    static ByteBuffer i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.flip();
    }

    @Test
    void float32UlpCountsRepresentableStepsBetweenValues() throws Exception {
        float next = Math.nextUp(1f);
        float next2 = Math.nextUp(next);
        assertTrue(Tolerance.ulp(1).compare(FLOAT32, f32(next), json("[1]"), 1).passed());
        assertFalse(Tolerance.ulp(0).compare(FLOAT32, f32(next), json("[1]"), 1).passed());
        Tolerance.Comparison c = Tolerance.ulp(1).compare(FLOAT32, f32(1f, next2), json("[1, 1]"), 2);
        assertFalse(c.passed());
        assertEquals(2, c.worstError());
        assertEquals(1, c.mismatches());
        // the expected double is rounded to float32 first: 0.1 vs (float) 0.1 is 0 ULP
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(0.1f), json("[0.1]"), 1).passed());
    }

    @Test
    void float32ZerosNaNsAndSignChanges() throws Exception {
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(-0f), json("[0]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(0f), json("[\"-0\"]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(Float.intBitsToFloat(0x7fc01234)), json("[\"NaN\"]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(Float.intBitsToFloat(0xffc00000)), json("[\"NaN\"]"), 1).passed());
        assertFalse(Tolerance.ulp(1000).compare(FLOAT32, f32(Float.NaN), json("[1]"), 1).passed());
        // the smallest denormals of opposite sign are 2 ULP apart (bit patterns 1 and -1)
        assertEquals(2, Tolerance.ulp(0).compare(FLOAT32, f32(-Float.MIN_VALUE), json("[1.401298464324817e-45]"), 1).worstError());
        // a sign change on normal numbers is huge
        assertTrue(Tolerance.ulp(1000).compare(FLOAT32, f32(-1f), json("[1]"), 1).worstError() > 2e9);
        assertTrue(Tolerance.ulp(0).compare(FLOAT32, f32(Float.POSITIVE_INFINITY), json("[\"Infinity\"]"), 1).passed());
    }

    @Test
    void float16UsesRawPatternsAgainstToHalfOfTheExpectedValue() throws Exception {
        assertEquals(1, Tolerance.ulp(0).compare(FLOAT16, f16(0x3C01), json("[1]"), 1).worstError());
        // toHalf(1 + 2^-11) is 0x3C01 (round half up): exact match
        assertTrue(Tolerance.ulp(0).compare(FLOAT16, f16(0x3C01), json("[1.00048828125]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(FLOAT16, f16(0x8000), json("[0]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(FLOAT16, f16(0x0000), json("[\"-0\"]"), 1).passed());
        // a sign flip costs 0x8000 on the unsigned patterns
        assertEquals(0x8000, Tolerance.ulp(0).compare(FLOAT16, f16(0xBC00), json("[1]"), 1).worstError());
        // NaN: the harness compares against toHalf(NaN) = 0x7C01, raw
        assertTrue(Tolerance.ulp(0).compare(FLOAT16, f16(0x7C01), json("[\"NaN\"]"), 1).passed());
        assertEquals(0x7E00 - 0x7C01, Tolerance.ulp(0).compare(FLOAT16, f16(0x7E00), json("[\"NaN\"]"), 1).worstError());
    }

    @Test
    void integersCompareExactly() throws Exception {
        assertEquals(2, Tolerance.ulp(0).compare(INT32, i32(5), json("[7]"), 1).worstError());
        assertTrue(Tolerance.ulp(2).compare(INT32, i32(5), json("[7]"), 1).passed());
        assertEquals(1, Tolerance.ulp(0).compare(INT64, i64(Long.MAX_VALUE), json("[\"9223372036854775806\"]"), 1).worstError());
        assertTrue(Tolerance.ulp(0).compare(UINT64, i64(-1L), json("[\"18446744073709551615\"]"), 1).passed());
        assertTrue(Tolerance.ulp(0).compare(UINT32, i32(-1), json("[4294967295]"), 1).passed());
        ByteBuffer u8 = ByteBuffer.wrap(new byte[] {(byte) 200});
        assertTrue(Tolerance.ulp(0).compare(UINT8, u8, json("[200]"), 1).passed());
        // no tolerance for the type (value null): exact equality
        assertTrue(Tolerance.exact("ULP").compare(INT32, i32(5), json("[5]"), 1).passed());
        assertFalse(Tolerance.exact("ULP").compare(INT32, i32(5), json("[6]"), 1).passed());
    }

    @Test
    void atolIsAbsoluteAndNeverPassesNaN() throws Exception {
        Tolerance t = Tolerance.atol(1.0 / 1024);
        assertTrue(t.compare(FLOAT32, f32(1.0009f), json("[1]"), 1).passed());
        assertFalse(t.compare(FLOAT32, f32(1.002f), json("[1]"), 1).passed());
        assertFalse(t.compare(FLOAT32, f32(Float.NaN), json("[\"NaN\"]"), 1).passed());
        assertFalse(t.compare(FLOAT32, f32(Float.POSITIVE_INFINITY), json("[\"Infinity\"]"), 1).passed());
        // float16 actuals are decoded from their bits
        assertTrue(Tolerance.atol(1.0 / 512).compare(FLOAT16, f16(0x3C01), json("[1]"), 1).passed());
    }

    @Test
    void scalarExpectedDataComparesTheFirstThousandElements() throws Exception {
        float[] v = new float[1500];
        java.util.Arrays.fill(v, 3f);
        v[1200] = 99f; // beyond kMaximumIndexToValidate
        Tolerance.Comparison c = Tolerance.ulp(0).compare(FLOAT32, f32(v), json("3"), 1500);
        assertTrue(c.passed());
        assertEquals(1000, c.compared());
        v[999] = 4f;
        assertFalse(Tolerance.ulp(0).compare(FLOAT32, f32(v), json("3"), 1500).passed());
    }

    @Test
    void expectedArrayLengthMustMatchTheShape() {
        assertThrows(SchemaException.class, () -> Tolerance.ulp(0).compare(FLOAT32, f32(1f, 2f), json("[1]"), 2));
        assertThrows(SchemaException.class, () -> new Tolerance("REL", 1.0));
    }
}
