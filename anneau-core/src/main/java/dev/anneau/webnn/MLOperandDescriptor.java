package dev.anneau.webnn;

import java.util.Arrays;
import java.util.Objects;

/**
 * The WebNN {@code MLOperandDescriptor}: a data type and a shape. Dimensions are taken as
 * {@code long} because the spec's {@code unsigned long} reaches 2<sup>32</sup>−1; they are
 * validated (positive, byte length within limits) where the descriptor is used.
 */
public class MLOperandDescriptor {
    private final MLOperandDataType dataType;
    private final long[] shape;

    public MLOperandDescriptor(MLOperandDataType dataType, long... shape) {
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.shape = Objects.requireNonNull(shape, "shape").clone();
    }

    public MLOperandDescriptor(MLOperandDataType dataType, int... shape) {
        this(dataType, Arrays.stream(Objects.requireNonNull(shape, "shape")).asLongStream().toArray());
    }

    public MLOperandDataType dataType() { return dataType; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof MLOperandDescriptor d && d.getClass() == getClass()
                && d.dataType == dataType && Arrays.equals(d.shape, shape);
    }

    @Override
    public int hashCode() { return dataType.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override
    public String toString() { return dataType + Arrays.toString(shape); }
}
