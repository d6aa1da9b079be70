package dev.anneau.conformance;

import static dev.anneau.webnn.MLOperandDataType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    static JsonNode json(String s) throws Exception { return WptSuite.JSON.readTree(s); }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void toHalfExactValues() {
        assertEquals(0x3C00, ValueCodec.toHalf(1.0) & 0xFFFF);
        assertEquals(0xC000, ValueCodec.toHalf(-2.0) & 0xFFFF);
        assertEquals(0x7BFF, ValueCodec.toHalf(65504) & 0xFFFF);      // largest half
        assertEquals(0x0400, ValueCodec.toHalf(Math.scalb(1.0, -14)) & 0xFFFF); // smallest normal
        assertEquals(0x0001, ValueCodec.toHalf(Math.scalb(1.0, -24)) & 0xFFFF); // smallest denormal
        assertEquals(0x8000, ValueCodec.toHalf(-0.0) & 0xFFFF);
    }

    @Test
    void toHalfRoundsHalfUpNotToEven() {
        // 1 + 2^-11 is exactly halfway between 1 and 1 + 2^-10: IEEE ties-to-even gives 1.0 (0x3C00),
        // the WPT routine adds the dropped bit back and gives 0x3C01
        double half = 1 + Math.scalb(1.0, -11);
        assertEquals(0x3C00, Float.floatToFloat16((float) half) & 0xFFFF);
        assertEquals(0x3C01, ValueCodec.toHalf(half) & 0xFFFF);
        // just below the halfway point: the dropped bit is 0, truncation
        assertEquals(0x3C00, ValueCodec.toHalf(1 + Math.scalb(1.0, -11) - Math.scalb(1.0, -20)) & 0xFFFF);
        // a mantissa carry into the exponent: 2 - 2^-11 rounds up to 2.0
        assertEquals(0x4000, ValueCodec.toHalf(2 - Math.scalb(1.0, -11)) & 0xFFFF);
        // halfway past the largest half rounds up to infinity
        assertEquals(0x7C00, ValueCodec.toHalf(65520) & 0xFFFF);
    }

    @Test
    void toHalfGoesThroughFloat32First() {
        // the double lies below the halfway point, but (float) rounds it onto it, then half-up rounding applies
        double d = 1 + Math.scalb(1.0, -11) - Math.scalb(1.0, -40);
        assertEquals(1 + Math.scalb(1.0, -11), (double) (float) d);
        assertEquals(0x3C01, ValueCodec.toHalf(d) & 0xFFFF);
    }

    @Test
    void toHalfDenormalsAndFlushToZero() {
        // 1.5 * 2^-25: below 2^-24, flushed to zero (round to nearest would give the smallest denormal)
        assertEquals(0x0000, ValueCodec.toHalf(1.5 * Math.scalb(1.0, -25)) & 0xFFFF);
        assertEquals(0x8000, ValueCodec.toHalf(-1.5 * Math.scalb(1.0, -25)) & 0xFFFF);
        // 3 * 2^-25 = 1.5 * 2^-24: a denormal, halfway between 1 and 2 units, rounds up
        assertEquals(0x0002, ValueCodec.toHalf(3 * Math.scalb(1.0, -25)) & 0xFFFF);
    }

    @Test
    void toHalfSpecialValues() {
        assertEquals(0x7C00, ValueCodec.toHalf(Double.POSITIVE_INFINITY) & 0xFFFF);
        assertEquals(0xFC00, ValueCodec.toHalf(Double.NEGATIVE_INFINITY) & 0xFFFF);
        assertEquals(0x7C00, ValueCodec.toHalf(1e6) & 0xFFFF);
        assertEquals(0x7C01, ValueCodec.toHalf(Double.NaN) & 0xFFFF);
    }

    @Test
    void integersTruncateAndWrapLikeToInt32() {
        assertEquals(5, ValueCodec.wrapToInteger(Math.scalb(1.0, 32) + 5, 32, true));
        assertEquals(-1, ValueCodec.wrapToInteger(4294967295.0, 32, true));
        assertEquals(1661992960, ValueCodec.wrapToInteger(1e20, 32, true)); // ToInt32(1e20)
        assertEquals(7766279631452241920L, ValueCodec.wrapToInteger(1e20, 64, true));
        assertEquals(-3, ValueCodec.wrapToInteger(-3.7, 32, true));
        assertEquals(3, ValueCodec.wrapToInteger(3.99, 8, true));
        assertEquals(255, ValueCodec.wrapToInteger(-1, 8, false));
        assertEquals(44, ValueCodec.wrapToInteger(300, 8, true));
        assertEquals(-56, ValueCodec.wrapToInteger(200, 8, true));
        assertEquals(0, ValueCodec.wrapToInteger(Double.NaN, 32, true));
        assertEquals(0, ValueCodec.wrapToInteger(Double.POSITIVE_INFINITY, 8, false));
        assertEquals(0, ValueCodec.wrapToInteger(Double.NEGATIVE_INFINITY, 64, true));
    }

    @Test
    void encodesEachTypeLittleEndian() throws Exception {
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0x80},
                bytes(ValueCodec.encode(FLOAT32, json("[1, \"-0\"]"), 2)));
        assertArrayEquals(new byte[] {0x01, 0x3C}, bytes(ValueCodec.encode(FLOAT16, json("[1.00048828125]"), 1)));
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0},
                bytes(ValueCodec.encode(UINT32, json("[4294967295, \"NaN\"]"), 2)));
        assertArrayEquals(new byte[] {(byte) 0xC8, 0x2C, (byte) 0xFF}, bytes(ValueCodec.encode(INT8, json("[200, 300, -1.5]"), 3)));
        assertArrayEquals(new byte[] {(byte) 0xFF, 0x7F}, bytes(ValueCodec.encode(UINT8, json("[255, 127]"), 2)));
    }

    @Test
    void int64FromDecimalStringsExactly() throws Exception {
        ByteBuffer b = ValueCodec.encode(INT64, json("[\"9223372036854775807\", \"-9223372036854775808\", 3, -2.9]"), 4);
        assertEquals(Long.MAX_VALUE, b.getLong(0));
        assertEquals(Long.MIN_VALUE, b.getLong(8));
        assertEquals(3, b.getLong(16));
        assertEquals(-2, b.getLong(24));
        ByteBuffer u = ValueCodec.encode(UINT64, json("[\"18446744073709551615\"]"), 1);
        assertEquals(-1L, u.getLong(0));
        assertEquals("18446744073709551615", ValueCodec.format(UINT64, u, 0));
    }

    @Test
    void int4PacksTwoPerByteLowNibbleFirst() throws Exception {
        ByteBuffer b = ValueCodec.encode(INT4, json("[1, -1, 7, -8, 3]"), 5);
        assertArrayEquals(new byte[] {(byte) 0xF1, (byte) 0x87, 0x03}, bytes(b));
        int[] back = new int[5];
        for (int i = 0; i < 5; i++) back[i] = (int) ValueCodec.readInteger(INT4, b, i);
        assertArrayEquals(new int[] {1, -1, 7, -8, 3}, back);

        ByteBuffer u = ValueCodec.encode(UINT4, json("[15, 16, 2, 9]"), 4);
        assertArrayEquals(new byte[] {0x0F, (byte) 0x92}, bytes(u));
        assertEquals(9, ValueCodec.readInteger(UINT4, u, 3));
        assertEquals(-7, ValueCodec.readInteger(INT4, u, 3)); // 0b1001 sign-extended
        assertArrayEquals(new byte[] {(byte) 0xF1, 0x07}, ValueCodec.packInt4(new long[] {1, -1, 7}));
    }

    @Test
    void scalarDataFillsTheShape() throws Exception {
        ByteBuffer b = ValueCodec.encode(FLOAT32, json("2.5"), 3);
        assertEquals(12, b.remaining());
        for (int i = 0; i < 3; i++) assertEquals(2.5f, b.getFloat(4 * i));
        ByteBuffer s = ValueCodec.encode(INT32, json("\"-7\""), 2);
        assertEquals(-7, s.getInt(4));
    }

    @Test
    void wrongLengthsAndValuesAreSchemaErrors() throws Exception {
        assertThrows(SchemaException.class, () -> ValueCodec.encode(FLOAT32, json("[1, 2]"), 3));
        assertThrows(SchemaException.class, () -> ValueCodec.encode(FLOAT32, json("[1, \"x\"]"), 2));
        assertThrows(SchemaException.class, () -> ValueCodec.encode(FLOAT32, json("[1, null]"), 2));
        assertThrows(SchemaException.class, () -> ValueCodec.encode(FLOAT32, json("{\"a\": 1}"), 1));
    }
}
