package dev.anneau.onnx;

import dev.anneau.webnn.MLGraph;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An imported model for one set of input shapes: the compiled {@link MLGraph} (null when every
 * output is known at import time), the inputs it must be given and where each model output
 * comes from (a graph output of the same name, or a constant folded at import time).
 */
public final class ImportedGraph implements AutoCloseable {
    /** A graph input to bind at dispatch: ONNX name (also the WebNN name), element type and shape. */
    public record Input(String name, ElementType type, long[] shape) {
        @Override
        public String toString() { return name + ": " + type + Arrays.toString(shape); }
    }

    /** A model output: computed by the graph ({@code constant == null}) or folded at import. */
    public record Output(String name, ElementType type, long[] shape, OnnxTensor constant) {
        @Override
        public String toString() { return name + ": " + type + Arrays.toString(shape) + (constant != null ? " (constant)" : ""); }
    }

    private final MLGraph graph;
    private final List<Input> inputs;
    private final List<Output> outputs;
    private final Set<String> foldedInputs;
    private final long importNanos;
    private final long buildNanos;

    ImportedGraph(MLGraph graph, List<Input> inputs, List<Output> outputs, Set<String> foldedInputs, long importNanos,
                  long buildNanos) {
        this.graph = graph;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.foldedInputs = Set.copyOf(foldedInputs);
        this.importNanos = importNanos;
        this.buildNanos = buildNanos;
    }

    /** The compiled graph, or null when every output is a constant. */
    public MLGraph graph() { return graph; }

    /** Inputs the graph reads, in model order (inputs folded at import or unused are absent). */
    public List<Input> inputs() { return inputs; }

    /** Every model output, in model order. */
    public List<Output> outputs() { return outputs; }

    /** Model inputs whose values were fixed at import (ImportOptions.withInputValue). */
    public Set<String> foldedInputs() { return foldedInputs; }

    /** Time spent mapping the ONNX graph to builder calls (folding included), in nanoseconds. */
    public long importNanos() { return importNanos; }

    /** Time the backend took to build (compile) the graph, in nanoseconds. */
    public long buildNanos() { return buildNanos; }

    @Override
    public void close() {
        if (graph != null) graph.destroy();
    }

    @Override
    public String toString() { return "ImportedGraph(inputs " + inputs + ", outputs " + outputs + ")"; }
}
