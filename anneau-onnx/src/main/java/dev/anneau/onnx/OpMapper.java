package dev.anneau.onnx;

/** Maps one ONNX node to MLGraphBuilder calls (or to constants) through its {@link NodeContext}. */
@FunctionalInterface
interface OpMapper {
    void map(NodeContext cx);
}
