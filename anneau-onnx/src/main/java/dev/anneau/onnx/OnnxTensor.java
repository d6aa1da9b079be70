package dev.anneau.onnx;

import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.ops.Numbers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor in host memory: an ONNX element type, a shape and little-endian packed data
 * (4-bit types two per byte, low nibble first; bool one byte per element, 0 or 1). This is what
 * the importer folds constants with, what {@link OnnxSession} takes and returns, and what
 * {@link Npy} reads and writes. Tensors from the factories own their buffer; the accessors are
 * generic (double/long per element) and meant for small tensors and tests, not hot loops.
 */
public final class OnnxTensor {
    /** Largest byte length of one tensor held in memory. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final ElementType type;
    private final long[] shape;
    private final int size;
    private final ByteBuffer data;

    private OnnxTensor(ElementType type, long[] shape, ByteBuffer data, boolean check) {
        this.type = Objects.requireNonNull(type, "type");
        this.shape = shape.clone();
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE || type.byteLength(n) > MAX_BYTES) {
            throw new OnnxImportException("tensor of " + type + " " + Arrays.toString(shape) + " is too large ("
                    + n + " elements; at most " + MAX_BYTES + " bytes are supported)");
        }
        this.size = (int) n;
        long want = type.byteLength(n);
        if (check && data.remaining() != want) {
            throw new OnnxImportException("tensor of " + type + " " + Arrays.toString(shape) + " needs " + want
                    + " bytes of data, got " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A tensor over {@code data} (little-endian, exactly the byte length of the shape; read from its
     * position). The buffer is not copied: do not change it afterwards.
     */
    public static OnnxTensor wrap(ElementType type, long[] shape, ByteBuffer data) {
        return new OnnxTensor(type, shape, data, true);
    }

    /** A copy of {@code data} (little-endian, exactly the byte length of the shape). */
    public static OnnxTensor copyOf(ElementType type, long[] shape, ByteBuffer data) {
        ByteBuffer src = data.duplicate();
        ByteBuffer copy = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(src).flip();
        return new OnnxTensor(type, shape, copy, true);
    }

    /** A zero-filled tensor. */
    public static OnnxTensor zeros(ElementType type, long... shape) {
        long n = checkedCount(type, shape);
        return new OnnxTensor(type, shape, ByteBuffer.allocate((int) type.byteLength(n)), true);
    }

    public static OnnxTensor ofFloats(long[] shape, float... values) {
        OnnxTensor t = zeros(ElementType.FLOAT, shape);
        requireCount(t, values.length);
        for (int i = 0; i < values.length; i++) t.data.putFloat(i * 4, values[i]);
        return t;
    }

    public static OnnxTensor ofLongs(ElementType type, long[] shape, long... values) {
        OnnxTensor t = zeros(type, shape);
        requireCount(t, values.length);
        for (int i = 0; i < values.length; i++) t.setLong(i, values[i]);
        return t;
    }

    public static OnnxTensor ofDoubles(ElementType type, long[] shape, double... values) {
        OnnxTensor t = zeros(type, shape);
        requireCount(t, values.length);
        for (int i = 0; i < values.length; i++) t.setDouble(i, values[i]);
        return t;
    }

    /** A 1-D int64 tensor. */
    public static OnnxTensor int64s(long... values) {
        return ofLongs(ElementType.INT64, new long[] {values.length}, values);
    }

    public static OnnxTensor scalar(ElementType type, double value) {
        OnnxTensor t = zeros(type);
        t.setDouble(0, value);
        return t;
    }

    /**
     * A tensor of random values for smoke runs: floats uniform in [0, 1), integers in [0, 10)
     * (of the type's range), bool 0 or 1.
     */
    public static OnnxTensor random(ElementType type, long[] shape, java.util.Random random) {
        OnnxTensor t = zeros(type, shape);
        for (int i = 0; i < t.size; i++) {
            if (type.isFloat()) t.setDouble(i, random.nextDouble());
            else if (type == ElementType.BOOL) t.setLong(i, random.nextInt(2));
            else t.setLong(i, random.nextInt((int) Math.min(10, maxValue(type) + 1)));
        }
        return t;
    }

    private static void requireCount(OnnxTensor t, int n) {
        if (t.size != n) throw new IllegalArgumentException("shape " + Arrays.toString(t.shape) + " holds " + t.size + " elements, got " + n);
    }

    private static long checkedCount(ElementType type, long[] shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE || type.byteLength(n) > MAX_BYTES) {
            throw new OnnxImportException("tensor of " + type + " " + Arrays.toString(shape) + " is too large");
        }
        return n;
    }

    /** Product of the dimensions; throws on a negative dimension or overflow. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new OnnxImportException("negative dimension in shape " + Arrays.toString(shape));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new OnnxImportException("shape " + Arrays.toString(shape) + " has more than 2^63 elements");
            }
        }
        return n;
    }

    public ElementType type() { return type; }

    /** The WebNN data type (bool gives uint8), or null for a type WebNN lacks. */
    public MLOperandDataType dataType() { return type.webnn(); }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int axis) { return shape[axis]; }

    public int size() { return size; }

    public long byteLength() { return type.byteLength(size); }

    /** A read-only little-endian view of the data, positioned at 0. */
    public ByteBuffer data() { return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN); }

    /** The same data with another shape of the same element count. */
    public OnnxTensor reshape(long... newShape) {
        if (elementCount(newShape) != size) {
            throw new OnnxImportException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new OnnxTensor(type, newShape, data, false);
    }

    /** The same bytes seen as another type of the same width (bool and uint8 only). */
    public OnnxTensor withType(ElementType t) {
        if (t.bits() != type.bits()) throw new IllegalArgumentException(type + " -> " + t);
        return new OnnxTensor(t, shape, data, false);
    }

    // ------------------------------------------------------------------ element access

    /** Element {@code i} as a double (uint64 read unsigned; int64 beyond 2^53 rounds). */
    public double getDouble(int i) {
        return switch (type) {
            case FLOAT -> data.getFloat(i * 4);
            case DOUBLE -> data.getDouble(i * 8);
            case FLOAT16 -> Numbers.halfToFloat(data.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
            case UINT64 -> {
                long v = data.getLong(i * 8);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            default -> getLong(i);
        };
    }

    /** Element {@code i} as a long (floats truncate toward zero; uint64 as its bit pattern). */
    public long getLong(int i) {
        return switch (type) {
            case UINT8, BOOL -> data.get(i) & 0xff;
            case INT8 -> data.get(i);
            case UINT16 -> data.getShort(i * 2) & 0xffff;
            case INT16 -> data.getShort(i * 2);
            case INT32 -> data.getInt(i * 4);
            case UINT32 -> data.getInt(i * 4) & 0xffffffffL;
            case INT64, UINT64 -> data.getLong(i * 8);
            case UINT4 -> nibble(i);
            case INT4 -> (nibble(i) << 60) >> 60;
            default -> (long) getDouble(i);
        };
    }

    private long nibble(int i) {
        int b = data.get(i >> 1) & 0xff;
        return (i & 1) == 0 ? b & 0xf : b >>> 4;
    }

    private void setNibble(int i, long v) {
        int b = data.get(i >> 1) & 0xff;
        int n = (int) (v & 0xf);
        b = (i & 1) == 0 ? (b & 0xf0) | n : (b & 0x0f) | (n << 4);
        data.put(i >> 1, (byte) b);
    }

    /** True when element {@code i} is NaN (floats only). */
    public boolean isNaN(int i) { return type.isFloat() && Double.isNaN(getDouble(i)); }

    /**
     * Stores {@code v} rounded once to the element type: floats round to nearest, integers
     * truncate toward zero and saturate (NaN gives 0), bool is {@code v != 0}.
     */
    public void setDouble(int i, double v) {
        switch (type) {
            case FLOAT -> data.putFloat(i * 4, (float) v);
            case DOUBLE -> data.putDouble(i * 8, v);
            case FLOAT16 -> data.putShort(i * 2, Numbers.doubleToHalf(v));
            case BFLOAT16 -> data.putShort(i * 2, toBfloat16((float) v));
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            case UINT64 -> setLong(i, saturateUnsigned64(v));
            default -> {
                double lo = minValue(type), hi = maxValue(type);
                double t = Double.isNaN(v) ? 0 : Math.max(lo, Math.min(hi, v < 0 ? Math.ceil(v) : Math.floor(v)));
                setLong(i, (long) t);
            }
        }
    }

    /** Stores an integer, wrapping to the element width (floats convert; bool is {@code v != 0}). */
    public void setLong(int i, long v) {
        switch (type) {
            case UINT8, INT8 -> data.put(i, (byte) v);
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            case UINT16, INT16 -> data.putShort(i * 2, (short) v);
            case INT32, UINT32 -> data.putInt(i * 4, (int) v);
            case INT64, UINT64 -> data.putLong(i * 8, v);
            case UINT4, INT4 -> setNibble(i, v);
            case FLOAT -> data.putFloat(i * 4, (float) v);
            case DOUBLE -> data.putDouble(i * 8, (double) v);
            case FLOAT16 -> data.putShort(i * 2, Numbers.doubleToHalf((double) v));
            case BFLOAT16 -> data.putShort(i * 2, toBfloat16((float) v));
        }
    }

    private static long saturateUnsigned64(double v) {
        if (Double.isNaN(v) || v <= 0) return 0;
        if (v >= 18446744073709551615.0) return -1L;
        if (v < 9223372036854775808.0) return (long) v;
        return (long) (v - 9223372036854775808.0) ^ Long.MIN_VALUE;
    }

    private static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static double minValue(ElementType t) {
        return switch (t) {
            case INT8 -> -128; case UINT8, UINT16, UINT32, UINT64, UINT4, BOOL -> 0;
            case INT16 -> -32768; case INT32 -> Integer.MIN_VALUE; case INT64 -> -9.223372036854775808e18;
            case INT4 -> -8;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    static double maxValue(ElementType t) {
        return switch (t) {
            case INT8 -> 127; case UINT8 -> 255; case UINT16 -> 65535; case INT16 -> 32767;
            case INT32 -> Integer.MAX_VALUE; case UINT32 -> 4294967295.0; case INT64 -> 9.223372036854775807e18;
            case UINT64 -> 1.8446744073709551615e19; case INT4 -> 7; case UINT4 -> 15; case BOOL -> 1;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /** All elements as longs (for small index/shape tensors). */
    public long[] toLongArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = getLong(i);
        return out;
    }

    /** All elements as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = getDouble(i);
        return out;
    }

    /** All elements as floats (float32 data copied directly). */
    public float[] toFloatArray() {
        float[] out = new float[size];
        if (type == ElementType.FLOAT) {
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < size; i++) out[i] = (float) getDouble(i);
        }
        return out;
    }

    /**
     * Converts to another element type with ONNX {@code Cast} semantics: float to integer truncates
     * toward zero (saturating here, where ONNX leaves overflow undefined), anything to bool is
     * {@code != 0}, integer to integer wraps.
     */
    public OnnxTensor convertTo(ElementType to) {
        if (to == type) return this;
        OnnxTensor out = zeros(to, shape);
        boolean exactInts = !type.isFloat() && !to.isFloat();
        for (int i = 0; i < size; i++) {
            if (exactInts) out.setLong(i, getLong(i));
            else if (to == ElementType.BOOL) out.setLong(i, getDouble(i) != 0 ? 1 : 0);
            else if (!type.isFloat() && type != ElementType.UINT64) out.setDouble(i, getLong(i));
            else out.setDouble(i, getDouble(i));
        }
        return out;
    }

    /** True when the tensors have the same type, shape and bytes. */
    public boolean contentEquals(OnnxTensor o) {
        return o != null && o.type == type && Arrays.equals(o.shape, shape) && o.data.equals(data);
    }

    /** A short description: type, shape and, for small tensors, the values. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(type.toString()).append(Arrays.toString(shape));
        if (size <= 16) {
            s.append(" {");
            for (int i = 0; i < size; i++) {
                if (i > 0) s.append(", ");
                if (type.isFloat()) s.append(getDouble(i));
                else if (type == ElementType.UINT64) s.append(Long.toUnsignedString(getLong(i)));
                else s.append(getLong(i));
            }
            s.append('}');
        }
        return s.toString();
    }
}
