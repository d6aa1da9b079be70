package dev.anneau.onnx;

import dev.anneau.webnn.MLOperandDataType;

/**
 * The ONNX tensor element types the importer can hold in memory, with their ONNX codes
 * ({@code TensorProto.DataType}) and the WebNN type each maps to. ONNX {@code bool} maps to
 * WebNN {@code uint8} (0 or 1), as WebNN's comparison and logical operators do. {@code double},
 * {@code int16}, {@code uint16} and {@code bfloat16} have no WebNN type: they can appear in
 * constants that are folded at import time, never as a graph value.
 */
public enum ElementType {
    FLOAT(1, 32, MLOperandDataType.FLOAT32, "float32"),
    UINT8(2, 8, MLOperandDataType.UINT8, "uint8"),
    INT8(3, 8, MLOperandDataType.INT8, "int8"),
    UINT16(4, 16, null, "uint16"),
    INT16(5, 16, null, "int16"),
    INT32(6, 32, MLOperandDataType.INT32, "int32"),
    INT64(7, 64, MLOperandDataType.INT64, "int64"),
    BOOL(9, 8, MLOperandDataType.UINT8, "bool"),
    FLOAT16(10, 16, MLOperandDataType.FLOAT16, "float16"),
    DOUBLE(11, 64, null, "float64"),
    UINT32(12, 32, MLOperandDataType.UINT32, "uint32"),
    UINT64(13, 64, MLOperandDataType.UINT64, "uint64"),
    BFLOAT16(16, 16, null, "bfloat16"),
    UINT4(21, 4, MLOperandDataType.UINT4, "uint4"),
    INT4(22, 4, MLOperandDataType.INT4, "int4");

    private final int onnx;
    private final int bits;
    private final MLOperandDataType webnn;
    private final String displayName;

    ElementType(int onnx, int bits, MLOperandDataType webnn, String displayName) {
        this.onnx = onnx;
        this.bits = bits;
        this.webnn = webnn;
        this.displayName = displayName;
    }

    /** The {@code TensorProto.DataType} code. */
    public int onnxCode() { return onnx; }

    public int bits() { return bits; }

    /** The WebNN type, or null where WebNN has none. */
    public MLOperandDataType webnn() { return webnn; }

    public boolean isFloat() {
        return this == FLOAT || this == FLOAT16 || this == DOUBLE || this == BFLOAT16;
    }

    public boolean isInteger() { return !isFloat() && this != BOOL; }

    public boolean isSigned() {
        return switch (this) {
            case FLOAT, FLOAT16, DOUBLE, BFLOAT16, INT8, INT16, INT32, INT64, INT4 -> true;
            default -> false;
        };
    }

    /** Bytes taken by {@code elements} packed elements (4-bit types: two per byte, rounded up). */
    public long byteLength(long elements) {
        return bits == 4 ? (elements + 1) / 2 : Math.multiplyExact(elements, (long) (bits / 8));
    }

    /** The ONNX type of a code, or null for a code the importer cannot hold (string, complex, float8...). */
    public static ElementType fromOnnx(int code) {
        for (ElementType t : values()) if (t.onnx == code) return t;
        return null;
    }

    /** The ONNX type matching a WebNN type (uint8 gives UINT8, never BOOL). */
    public static ElementType fromWebNN(MLOperandDataType t) {
        return switch (t) {
            case FLOAT32 -> FLOAT;
            case FLOAT16 -> FLOAT16;
            case INT32 -> INT32;
            case UINT32 -> UINT32;
            case INT64 -> INT64;
            case UINT64 -> UINT64;
            case INT8 -> INT8;
            case UINT8 -> UINT8;
            case INT4 -> INT4;
            case UINT4 -> UINT4;
        };
    }

    /** A readable name for an ONNX type code, known or not. */
    public static String describe(int code) {
        ElementType t = fromOnnx(code);
        if (t != null) return t.displayName;
        return switch (code) {
            case 0 -> "undefined";
            case 8 -> "string";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case 17 -> "float8e4m3fn";
            case 18 -> "float8e4m3fnuz";
            case 19 -> "float8e5m2";
            case 20 -> "float8e5m2fnuz";
            case 23 -> "float4e2m1";
            case 24 -> "float8e8m0";
            case 25 -> "uint2";
            case 26 -> "int2";
            default -> "type #" + code;
        };
    }

    @Override
    public String toString() { return displayName; }
}
