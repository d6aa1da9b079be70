package dev.anneau.onnx;

import dev.anneau.webnn.MLContext;
import java.util.List;

/**
 * Imports an ONNX model as a WebNN graph on any {@link MLContext}: the ONNX graph becomes
 * {@code MLGraphBuilder} calls (public API only), values known at import time (initializers,
 * shape computations such as Shape → Gather → Concat → Reshape) are folded in Java, and the
 * result is built into an {@code MLGraph}. Every dimension must be known: bind symbolic ones with
 * {@link ImportOptions#freeDimensionOverrides} or give input shapes ({@link OnnxSession} does it
 * from the data). A model that cannot be mapped fails with one {@link OnnxUnsupportedException}
 * listing every unsupported operator, attribute and data type with its node.
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    public static ImportedGraph importModel(MLContext context, OnnxModel model) {
        return importModel(context, model, ImportOptions.defaults());
    }

    public static ImportedGraph importModel(MLContext context, OnnxModel model, ImportOptions options) {
        if (context == null) throw new IllegalArgumentException("context is required");
        if (model == null) throw new IllegalArgumentException("model is required");
        return new GraphImport(context, model, options == null ? ImportOptions.defaults() : options, MapperRegistry.standard()).run();
    }

    /** The operators the importer maps, with their opset ranges ({@code "Conv [1-21]"}). */
    public static List<String> supportedOperators() { return MapperRegistry.standard().describe(); }
}
