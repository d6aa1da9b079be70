package dev.anneau.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anneau.webnn.MLOperandDataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Pattern;

/**
 * Turns the JSON values of a WPT test into tensor bytes exactly as the WPT harness stores them
 * into typed arrays (see SUITE-README "Value encoding"), and reads tensor bytes back.
 *
 * <ul>
 *   <li>float32: {@code (float) d}, round to nearest even, as {@code Float32Array};</li>
 *   <li>float16: the harness's {@code toHalf()}: double to float32, then float32 to half with
 *       round-half-up on the dropped bits (not IEEE round-to-nearest-even), see {@link #toHalf};</li>
 *   <li>integer types: truncate toward zero, wrap modulo 2<sup>n</sup>, non-finite to 0 (JS ToInt32 and friends);</li>
 *   <li>int64/uint64: integral JSON numbers and decimal strings exactly, through {@link BigInteger};</li>
 *   <li>int4/uint4: two elements per byte, element {@code i} in the low nibble of byte {@code i/2} when even.</li>
 * </ul>
 * A scalar {@code data} fills the whole tensor.
 */
public final class ValueCodec {
    private ValueCodec() {}

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    // ------------------------------------------------------------------ scalar conversions

    /**
     * The WPT {@code toHalf(value)} routine (resources/utils.js): the double is first stored into a
     * float32, then its bits are cut to half precision keeping one extra mantissa bit, which is
     * added back (round half up in magnitude). Exponents below 2^-24 flush to signed zero, float32
     * exponents above 15 become infinity, NaN becomes {@code 0x7C01} (with its sign).
     */
    public static short toHalf(double value) {
        int x = Float.floatToRawIntBits((float) value);
        int bits = (x >> 16) & 0x8000; // sign
        int m = (x >> 12) & 0x07ff;    // one extra bit for rounding
        int e = (x >> 23) & 0xff;
        if (e < 103) return (short) bits; // zero, float32 denormal, or too small for a half denormal
        if (e > 142) {                    // NaN, Inf, or overflow
            bits |= 0x7c00;
            if (e == 255 && (x & 0x007fffff) != 0) bits |= 1;
            return (short) bits;
        }
        if (e < 113) {                    // half denormal
            m |= 0x0800;
            bits |= (m >> (114 - e)) + ((m >> (113 - e)) & 1);
            return (short) bits;
        }
        bits |= ((e - 112) << 10) | (m >> 1);
        bits += m & 1;                    // may carry into the exponent, which is right
        return (short) bits;
    }

    /**
     * Truncates toward zero and wraps modulo 2^bits as a JS typed array store does
     * (ToInt8/ToUint8/ToInt32/ToUint32...): NaN and ±Infinity give 0. Signed types come back
     * sign-extended, unsigned ones as their non-negative value (uint64: the raw 64 bits).
     */
    public static long wrapToInteger(double d, int bits, boolean signed) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return 0;
        double t = d < 0 ? Math.ceil(d) : Math.floor(d);
        long v = Math.abs(t) < 9.0e18 ? (long) t : new BigDecimal(t).toBigInteger().longValue(); // low 64 bits
        return wrapLong(v, bits, signed);
    }

    /** Wraps an exact integer (already reduced modulo 2^64) to {@code bits}. */
    public static long wrapLong(long v, int bits, boolean signed) {
        if (bits >= 64) return v;
        long mask = (1L << bits) - 1;
        v &= mask;
        if (signed && (v & (1L << (bits - 1))) != 0) v -= 1L << bits;
        return v;
    }

    /** A JSON element (number, or a string such as "NaN", "-0", "Infinity", "123") as a JS number. */
    public static double toDouble(JsonNode n) {
        if (n == null || n.isNull()) throw new SchemaException("a value is null (NaN and Infinity must be written as strings)");
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.textValue().trim());
            } catch (NumberFormatException e) {
                throw new SchemaException("'" + n.textValue() + "' is not a number");
            }
        }
        if (n.isBoolean()) return n.booleanValue() ? 1 : 0;
        throw new SchemaException("expected a number, got " + n.getNodeType() + " " + abbreviate(n));
    }

    /** A JSON element as an exact integer when it is one (integral number or decimal string), else null. */
    public static BigInteger exactInteger(JsonNode n) {
        if (n.isIntegralNumber()) return n.bigIntegerValue();
        if (n.isTextual() && INTEGER.matcher(n.textValue().trim()).matches()) return new BigInteger(n.textValue().trim());
        return null;
    }

    /** The 64-bit pattern an int64/uint64 element is stored as (BigInt64Array/BigUint64Array). */
    public static long toInt64Bits(JsonNode n) {
        BigInteger bi = exactInteger(n);
        if (bi != null) return bi.longValue(); // low 64 bits: wraps modulo 2^64
        return wrapToInteger(toDouble(n), 64, true);
    }

    // ------------------------------------------------------------------ whole tensors

    /** Number of elements {@code data} holds: its length, or -1 when it is a scalar that fills the shape. */
    public static int dataLength(JsonNode data) {
        if (data == null) throw new SchemaException("'data' is missing");
        if (data.isArray()) return data.size();
        if (data.isValueNode() && !data.isNull()) return -1;
        throw new SchemaException("'data' must be an array or a single number, got " + data.getNodeType());
    }

    /** The element at {@code i} of an array, or the scalar itself. */
    public static JsonNode element(JsonNode data, int i) { return data.isArray() ? data.get(i) : data; }

    /**
     * Encodes {@code data} (an array with exactly {@code elements} values, or one scalar that fills the
     * tensor) into little-endian bytes of {@code type}.
     */
    public static ByteBuffer encode(MLOperandDataType type, JsonNode data, int elements) {
        int len = dataLength(data);
        if (len >= 0 && len != elements) {
            throw new SchemaException("'data' has " + len + " values, the shape needs " + elements);
        }
        ByteBuffer b = ByteBuffer.allocate((int) type.byteLength(elements)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT32 -> { for (int i = 0; i < elements; i++) b.putFloat((float) toDouble(element(data, i))); }
            case FLOAT16 -> { for (int i = 0; i < elements; i++) b.putShort(toHalf(toDouble(element(data, i)))); }
            case INT32, UINT32 -> { for (int i = 0; i < elements; i++) b.putInt((int) wrapToInteger(toDouble(element(data, i)), 32, true)); }
            case INT8, UINT8 -> { for (int i = 0; i < elements; i++) b.put((byte) wrapToInteger(toDouble(element(data, i)), 8, true)); }
            case INT64, UINT64 -> { for (int i = 0; i < elements; i++) b.putLong(toInt64Bits(element(data, i))); }
            case INT4, UINT4 -> {
                byte[] packed = new byte[(elements + 1) / 2];
                for (int i = 0; i < elements; i++) {
                    int nibble = (int) wrapToInteger(toDouble(element(data, i)), 4, false);
                    packed[i >> 1] |= (byte) ((i & 1) == 0 ? nibble : nibble << 4);
                }
                b.put(packed);
            }
        }
        b.flip();
        return b;
    }

    /** Packs 4-bit values (any integers; only their low nibble is kept), two per byte, low nibble first. */
    public static byte[] packInt4(long[] values) {
        byte[] packed = new byte[(values.length + 1) / 2];
        for (int i = 0; i < values.length; i++) {
            int nibble = (int) (values[i] & 0xF);
            packed[i >> 1] |= (byte) ((i & 1) == 0 ? nibble : nibble << 4);
        }
        return packed;
    }

    /** Unpacks element {@code i} of a packed int4/uint4 buffer (int4 sign-extended from bit 3). */
    public static int unpackInt4(ByteBuffer b, int i, boolean signed) {
        int v = b.get(b.position() + (i >> 1)) & 0xFF;
        int nibble = (i & 1) == 0 ? v & 0xF : v >>> 4;
        return signed && (nibble & 0x8) != 0 ? nibble - 16 : nibble;
    }

    /** Reads element {@code i} of an integer tensor as an exact long (uint64: the raw 64 bits). */
    public static long readInteger(MLOperandDataType type, ByteBuffer b, int i) {
        int p = b.position();
        return switch (type) {
            case INT32 -> b.getInt(p + 4 * i);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(p + 4 * i));
            case INT64, UINT64 -> b.getLong(p + 8 * i);
            case INT8 -> b.get(p + i);
            case UINT8 -> b.get(p + i) & 0xFF;
            case INT4 -> unpackInt4(b, i, true);
            case UINT4 -> unpackInt4(b, i, false);
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }

    /** Reads element {@code i} as a JS number would see it (float16 decoded; uint64 unsigned). */
    public static double readDouble(MLOperandDataType type, ByteBuffer b, int i) {
        int p = b.position();
        return switch (type) {
            case FLOAT32 -> b.getFloat(p + 4 * i);
            case FLOAT16 -> Float.float16ToFloat(b.getShort(p + 2 * i));
            case UINT64 -> unsignedToDouble(b.getLong(p + 8 * i));
            default -> readInteger(type, b, i);
        };
    }

    static double unsignedToDouble(long v) {
        return v >= 0 ? v : new BigDecimal(new BigInteger(Long.toUnsignedString(v))).doubleValue();
    }

    /** A readable rendering of element {@code i}, for failure messages. */
    public static String format(MLOperandDataType type, ByteBuffer b, int i) {
        return switch (type) {
            case FLOAT32 -> Float.toString(b.getFloat(b.position() + 4 * i));
            case FLOAT16 -> {
                short h = b.getShort(b.position() + 2 * i);
                yield Float.toString(Float.float16ToFloat(h)) + String.format(" (0x%04x)", h & 0xFFFF);
            }
            case UINT64 -> Long.toUnsignedString(b.getLong(b.position() + 8 * i));
            default -> Long.toString(readInteger(type, b, i));
        };
    }

    static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
