package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated operand type: data type plus dimensions that are known to be positive and whose
 * element count fits an {@code int} (the byte-length limit guarantees it). This is what
 * validation functions take and return, and what backends see.
 */
public final class TensorType {
    private final MLOperandDataType dataType;
    private final int[] dims;
    private final int size;

    public TensorType(MLOperandDataType dataType, int... dims) {
        this.dataType = Objects.requireNonNull(dataType);
        this.dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d);
            n = Math.multiplyExact(n, d);
        }
        this.size = Math.toIntExact(n);
    }

    public MLOperandDataType dataType() { return dataType; }

    /** A copy of the dimensions. */
    public int[] dims() { return dims.clone(); }

    public int dim(int axis) { return dims[axis]; }

    public int rank() { return dims.length; }

    /** Number of elements. */
    public int size() { return size; }

    public long byteLength() { return dataType.byteLength(size); }

    public TensorType withDataType(MLOperandDataType t) { return new TensorType(t, dims); }

    public TensorType withDims(int... d) { return new TensorType(dataType, d); }

    public long[] longShape() { return Arrays.stream(dims).asLongStream().toArray(); }

    /** Row-major strides in elements. */
    public int[] strides() { return rowMajorStrides(dims); }

    /** Row-major strides, in elements, of a dense tensor with these dimensions. */
    public static int[] rowMajorStrides(int... dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    public boolean sameShape(TensorType o) { return Arrays.equals(dims, o.dims); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.dataType == dataType && Arrays.equals(t.dims, dims);
    }

    @Override
    public int hashCode() { return dataType.hashCode() * 31 + Arrays.hashCode(dims); }

    @Override
    public String toString() { return dataType + Arrays.toString(dims); }
}
