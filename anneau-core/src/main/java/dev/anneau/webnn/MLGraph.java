package dev.anneau.webnn;

import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.CompiledGraph;
import java.util.Map;

/** The WebNN {@code MLGraph}: a compiled graph bound to its context. */
public final class MLGraph {
    private final MLContext context;
    final CompiledGraph compiled;
    private final Map<String, TensorType> inputs;
    private final Map<String, TensorType> outputs;
    private volatile boolean destroyed;

    MLGraph(MLContext context, CompiledGraph compiled, Map<String, TensorType> inputs, Map<String, TensorType> outputs) {
        this.context = context;
        this.compiled = compiled;
        this.inputs = Map.copyOf(inputs);
        this.outputs = Map.copyOf(outputs);
    }

    public MLContext context() { return context; }

    /** Input name to its type. */
    public Map<String, TensorType> inputs() { return inputs; }

    /** Output name to its type. */
    public Map<String, TensorType> outputs() { return outputs; }

    /** Where the graph runs, as the backend describes it. */
    public String describe() { return compiled.describe(); }

    public boolean isDestroyed() { return destroyed; }

    /** Marks the graph destroyed without releasing anything (its context is being destroyed and frees all). */
    void markDestroyed() { destroyed = true; }

    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        context.releaseGraph(this);
    }
}
