package dev.anneau.webnn.spi;

import dev.anneau.webnn.ops.TensorType;

/** Backend storage of one {@code MLTensor}. */
public interface BackendTensor extends AutoCloseable {
    TensorType type();

    @Override
    default void close() {}
}
