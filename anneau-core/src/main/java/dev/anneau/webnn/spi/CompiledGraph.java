package dev.anneau.webnn.spi;

import java.util.Map;

/** A graph compiled by a backend; executed once per {@code dispatch}. */
public interface CompiledGraph extends AutoCloseable {
    void execute(Map<String, BackendTensor> inputs, Map<String, BackendTensor> outputs);

    /** Where and how the graph runs, for logs ("CPU, 12 operations"). */
    default String describe() { return getClass().getSimpleName(); }

    @Override
    default void close() {}
}
