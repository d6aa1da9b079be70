package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpSupport;
import dev.anneau.webnn.ops.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Descriptor checks and little-endian buffer helpers shared by the context and the builder. */
final class Buffers {
    private Buffers() {}

    /** Validates dimensions (positive, at most 2^32-1, byte length within the limit) and returns the internal type. */
    static TensorType checkedType(MLOperandDescriptor d, OpSupport support, String what) {
        long[] shape = d.shape();
        if (shape.length > support.maxRank()) {
            throw new TypeError(what + ": rank " + shape.length + " is more than this context supports (" + support.maxRank() + ")");
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim <= 0) throw new TypeError(what + ": every dimension must be positive, got " + Arrays.toString(shape));
            if (dim > 0xFFFF_FFFFL) throw new TypeError(what + ": dimension " + dim + " is larger than 2^32-1");
            try {
                elements = Math.multiplyExact(elements, dim);
            } catch (ArithmeticException e) {
                throw new TypeError(what + ": the shape " + Arrays.toString(shape) + " has too many elements");
            }
        }
        long bytes;
        try {
            bytes = d.dataType().byteLength(elements);
        } catch (ArithmeticException e) {
            throw new TypeError(what + ": the shape " + Arrays.toString(shape) + " is too large");
        }
        if (bytes > support.maxTensorByteLength()) {
            throw new TypeError(what + ": byte length " + bytes + " exceeds the limit " + support.maxTensorByteLength()
                    + " (shape " + Arrays.toString(shape) + ")");
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) shape[i];
        return new TensorType(d.dataType(), dims);
    }

    /** Copies exactly the tensor's byte length from {@code src}; a different length is a TypeError. */
    static ByteBuffer copyExact(ByteBuffer src, TensorType type, String what) {
        if (src == null) throw new TypeError(what + ": data is required");
        long need = type.byteLength();
        if (src.remaining() != need) {
            throw new TypeError(what + ": the data has " + src.remaining() + " bytes; " + type + " needs exactly " + need);
        }
        ByteBuffer copy = ByteBuffer.allocate((int) need).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(src.duplicate());
        copy.flip();
        return copy;
    }

    static ByteBuffer of(float[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        return b;
    }

    static ByteBuffer of(int[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(a);
        return b;
    }

    static ByteBuffer of(long[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(a);
        return b;
    }

    static ByteBuffer of(short[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(a);
        return b;
    }
}
