package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.graph.Operation;

/** Emits the ONNX nodes of one WebNN operation and binds its outputs. */
@FunctionalInterface
public interface Lowering {
    void lower(Operation operation, LoweringContext cx);
}
