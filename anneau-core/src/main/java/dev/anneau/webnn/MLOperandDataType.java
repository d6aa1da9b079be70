package dev.anneau.webnn;

import java.util.Locale;

/**
 * The WebNN {@code MLOperandDataType} enum, plus {@code int4}/{@code uint4} as an extension
 * (used by the WPT (de)quantizeLinear tests; two elements per byte, low nibble first).
 */
public enum MLOperandDataType {
    FLOAT32("float32", 32, true, true),
    FLOAT16("float16", 16, true, true),
    INT32("int32", 32, false, true),
    UINT32("uint32", 32, false, false),
    INT64("int64", 64, false, true),
    UINT64("uint64", 64, false, false),
    INT8("int8", 8, false, true),
    UINT8("uint8", 8, false, false),
    INT4("int4", 4, false, true),
    UINT4("uint4", 4, false, false);

    private final String specName;
    private final int bits;
    private final boolean floatingPoint;
    private final boolean signed;

    MLOperandDataType(String specName, int bits, boolean floatingPoint, boolean signed) {
        this.specName = specName;
        this.bits = bits;
        this.floatingPoint = floatingPoint;
        this.signed = signed;
    }

    /** The name used by the spec and on the wire, e.g. {@code "float32"}. */
    public String specName() { return specName; }

    public int bitWidth() { return bits; }

    public boolean isFloatingPoint() { return floatingPoint; }

    public boolean isSigned() { return signed; }

    /** Bytes taken by {@code elements} packed elements (4-bit types round up). */
    public long byteLength(long elements) {
        return bits == 4 ? (elements + 1) / 2 : Math.multiplyExact(elements, (long) (bits / 8));
    }

    /** Parses a spec name; an unknown name is a {@link TypeError}, as WebIDL enum conversion is. */
    public static MLOperandDataType fromSpecName(String name) {
        if (name != null) {
            for (MLOperandDataType t : values()) {
                if (t.specName.equals(name)) return t;
            }
        }
        throw new TypeError("'" + name + "' is not a valid MLOperandDataType; expected one of "
                + "float32, float16, int32, uint32, int64, uint64, int8, uint8 (int4, uint4 as extension)");
    }

    @Override
    public String toString() { return specName; }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
