package dev.anneau.webnn;

/** The WebNN {@code MLTensorDescriptor}: an operand descriptor plus what the caller may do with the tensor. */
public final class MLTensorDescriptor extends MLOperandDescriptor {
    private final boolean readable;
    private final boolean writable;

    public MLTensorDescriptor(MLOperandDataType dataType, long[] shape, boolean readable, boolean writable) {
        super(dataType, shape);
        this.readable = readable;
        this.writable = writable;
    }

    public MLTensorDescriptor(MLOperandDescriptor descriptor, boolean readable, boolean writable) {
        this(descriptor.dataType(), descriptor.shape(), readable, writable);
    }

    public boolean readable() { return readable; }

    public boolean writable() { return writable; }

    @Override
    public String toString() {
        return super.toString() + (readable ? " readable" : "") + (writable ? " writable" : "");
    }
}
