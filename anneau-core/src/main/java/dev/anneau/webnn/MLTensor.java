package dev.anneau.webnn;

import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.BackendTensor;

/** The WebNN {@code MLTensor}: backend-owned storage for graph inputs and outputs. */
public final class MLTensor {
    private final MLContext context;
    private final MLTensorDescriptor descriptor;
    private final TensorType type;
    private final boolean constant;
    final BackendTensor storage;
    private volatile boolean destroyed;

    MLTensor(MLContext context, MLTensorDescriptor descriptor, TensorType type, BackendTensor storage, boolean constant) {
        this.context = context;
        this.descriptor = descriptor;
        this.type = type;
        this.storage = storage;
        this.constant = constant;
    }

    public MLOperandDataType dataType() { return type.dataType(); }

    public long[] shape() { return type.longShape(); }

    public boolean readable() { return descriptor.readable(); }

    public boolean writable() { return descriptor.writable(); }

    /** True for tensors from {@code createConstantTensor}: usable only as a graph constant. */
    public boolean constant() { return constant; }

    public TensorType type() { return type; }

    public MLContext context() { return context; }

    public boolean isDestroyed() { return destroyed; }

    /** Releases the storage once pending work that uses it has finished. Idempotent. */
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        context.releaseTensor(this);
    }

    void markDestroyed() { destroyed = true; }

    @Override
    public String toString() { return "MLTensor(" + type + (destroyed ? ", destroyed" : "") + ")"; }
}
