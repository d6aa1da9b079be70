package dev.anneau.backend.cpu;

import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.ops.Numbers;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.BackendTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A dense row-major tensor in a primitive array chosen by data type: {@code float[]} for
 * float32, {@code short[]} (raw bits) for float16, {@code int[]} for int32/uint32,
 * {@code long[]} for int64/uint64, and {@code byte[]} for int8/uint8/int4/uint4 (one element per
 * byte; 4-bit types are packed only at the byte-buffer boundary). Kernels either use the typed
 * array directly (fast paths) or the generic accessors below (reference paths).
 */
public final class CpuTensor implements BackendTensor {
    private final TensorType type;
    private final int size;
    private final float[] f32;
    private final short[] f16;
    private final int[] i32;
    private final long[] i64;
    private final byte[] i8;

    public CpuTensor(TensorType type) {
        this.type = type;
        this.size = type.size();
        MLOperandDataType t = type.dataType();
        f32 = t == MLOperandDataType.FLOAT32 ? new float[size] : null;
        f16 = t == MLOperandDataType.FLOAT16 ? new short[size] : null;
        i32 = t == MLOperandDataType.INT32 || t == MLOperandDataType.UINT32 ? new int[size] : null;
        i64 = t == MLOperandDataType.INT64 || t == MLOperandDataType.UINT64 ? new long[size] : null;
        i8 = t.bitWidth() <= 8 ? new byte[size] : null;
    }

    public CpuTensor(MLOperandDataType dataType, int... dims) { this(new TensorType(dataType, dims)); }

    @Override
    public TensorType type() { return type; }

    public MLOperandDataType dataType() { return type.dataType(); }

    public int size() { return size; }

    public int[] dims() { return type.dims(); }

    public int rank() { return type.rank(); }

    public float[] f32() { return f32; }

    public short[] f16() { return f16; }

    public int[] i32() { return i32; }

    public long[] i64() { return i64; }

    public byte[] i8() { return i8; }

    /** The element as a double (unsigned types read as unsigned, uint64 above 2^63 as a positive double). */
    public double get(int i) {
        return switch (type.dataType()) {
            case FLOAT32 -> f32[i];
            case FLOAT16 -> Float.float16ToFloat(f16[i]);
            case INT32 -> i32[i];
            case UINT32 -> Integer.toUnsignedLong(i32[i]);
            case INT64 -> i64[i];
            case UINT64 -> i64[i] >= 0 ? (double) i64[i] : ((double) (i64[i] >>> 1)) * 2.0 + (i64[i] & 1);
            case INT8, INT4 -> i8[i];
            case UINT8, UINT4 -> i8[i] & 0xFF;
        };
    }

    /**
     * Stores a double: float32 rounds once to float, float16 rounds once to half (nearest even);
     * integer types truncate toward zero and saturate to their range, NaN giving 0.
     */
    public void set(int i, double v) {
        switch (type.dataType()) {
            case FLOAT32 -> f32[i] = (float) v;
            case FLOAT16 -> f16[i] = Numbers.doubleToHalf(v);
            case INT32 -> i32[i] = (int) saturate(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> i32[i] = (int) saturate(v, 0, 0xFFFF_FFFFL);
            case INT64 -> i64[i] = Double.isNaN(v) ? 0 : (long) v;
            case UINT64 -> i64[i] = toUint64(v);
            case INT8 -> i8[i] = (byte) saturate(v, -128, 127);
            case UINT8 -> i8[i] = (byte) saturate(v, 0, 255);
            case INT4 -> i8[i] = (byte) saturate(v, -8, 7);
            case UINT4 -> i8[i] = (byte) saturate(v, 0, 15);
        }
    }

    private static long saturate(double v, long lo, long hi) {
        if (Double.isNaN(v)) return 0;
        if (v <= lo) return lo;
        if (v >= hi) return hi;
        return (long) v;
    }

    private static long toUint64(double v) {
        if (Double.isNaN(v) || v <= 0) return 0;
        if (v >= 18446744073709551615.0) return -1L;
        if (v < 9223372036854775807.0) return (long) v;
        return ((long) (v / 2)) << 1;
    }

    /** The element as a long: integers exactly (uint64 as its bit pattern), floats truncated. */
    public long getLong(int i) {
        return switch (type.dataType()) {
            case FLOAT32 -> (long) f32[i];
            case FLOAT16 -> (long) Float.float16ToFloat(f16[i]);
            case INT32 -> i32[i];
            case UINT32 -> Integer.toUnsignedLong(i32[i]);
            case INT64, UINT64 -> i64[i];
            case INT8, INT4 -> i8[i];
            case UINT8, UINT4 -> i8[i] & 0xFF;
        };
    }

    /** Stores an integer, wrapping to the type's width (floats convert the value). */
    public void setLong(int i, long v) {
        switch (type.dataType()) {
            case FLOAT32 -> f32[i] = (float) v;
            case FLOAT16 -> f16[i] = Numbers.doubleToHalf((double) v);
            case INT32, UINT32 -> i32[i] = (int) v;
            case INT64, UINT64 -> i64[i] = v;
            case INT8, UINT8 -> i8[i] = (byte) v;
            case INT4 -> i8[i] = (byte) ((v << 60) >> 60);
            case UINT4 -> i8[i] = (byte) (v & 0xF);
        }
    }

    /** Copies element {@code i} to {@code dst[j]} bit for bit (same data type). */
    public void copyTo(int i, CpuTensor dst, int j) {
        switch (type.dataType()) {
            case FLOAT32 -> dst.f32[j] = f32[i];
            case FLOAT16 -> dst.f16[j] = f16[i];
            case INT32, UINT32 -> dst.i32[j] = i32[i];
            case INT64, UINT64 -> dst.i64[j] = i64[i];
            default -> dst.i8[j] = i8[i];
        }
    }

    /** Copies a run of elements to {@code dst} (same data type). */
    public void copyRange(int from, CpuTensor dst, int to, int count) {
        System.arraycopy(array(), from, dst.array(), to, count);
    }

    /** The backing primitive array. */
    public Object array() {
        return switch (type.dataType()) {
            case FLOAT32 -> f32;
            case FLOAT16 -> f16;
            case INT32, UINT32 -> i32;
            case INT64, UINT64 -> i64;
            default -> i8;
        };
    }

    /** Fills from little-endian packed bytes. */
    public void readFrom(ByteBuffer src) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type.dataType()) {
            case FLOAT32 -> b.asFloatBuffer().get(f32);
            case FLOAT16 -> b.asShortBuffer().get(f16);
            case INT32, UINT32 -> b.asIntBuffer().get(i32);
            case INT64, UINT64 -> b.asLongBuffer().get(i64);
            case INT8, UINT8 -> b.get(i8);
            case INT4, UINT4 -> {
                boolean signed = type.dataType() == MLOperandDataType.INT4;
                for (int i = 0; i < size; i++) {
                    int by = b.get(b.position() + i / 2) & 0xFF;
                    int nib = (i & 1) == 0 ? by & 0xF : by >>> 4;
                    i8[i] = (byte) (signed ? (nib << 28) >> 28 : nib);
                }
            }
        }
    }

    /** Writes little-endian packed bytes at {@code dst}'s position and advances it. */
    public void writeTo(ByteBuffer dst) {
        ByteBuffer b = dst.order(ByteOrder.LITTLE_ENDIAN);
        switch (type.dataType()) {
            case FLOAT32 -> { b.asFloatBuffer().put(f32); b.position(b.position() + size * 4); }
            case FLOAT16 -> { b.asShortBuffer().put(f16); b.position(b.position() + size * 2); }
            case INT32, UINT32 -> { b.asIntBuffer().put(i32); b.position(b.position() + size * 4); }
            case INT64, UINT64 -> { b.asLongBuffer().put(i64); b.position(b.position() + size * 8); }
            case INT8, UINT8 -> b.put(i8);
            case INT4, UINT4 -> {
                for (int i = 0; i < size; i += 2) {
                    int lo = i8[i] & 0xF;
                    int hi = i + 1 < size ? i8[i + 1] & 0xF : 0;
                    b.put((byte) (lo | hi << 4));
                }
            }
        }
    }

    @Override
    public String toString() { return "CpuTensor" + type; }
}
