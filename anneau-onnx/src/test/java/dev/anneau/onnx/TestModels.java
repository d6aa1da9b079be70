package dev.anneau.onnx;

import com.google.protobuf.ByteString;
import dev.anneau.onnx.proto.Onnx.AttributeProto;
import dev.anneau.onnx.proto.Onnx.FunctionProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.ModelProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.onnx.proto.Onnx.TensorShapeProto;
import dev.anneau.onnx.proto.Onnx.TypeProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import java.nio.charset.StandardCharsets;

/** Small builders for hand-made ONNX models in tests. */
final class TestModels {
    private TestModels() {}

    static final int FLOAT = 1, INT64 = 7, BOOL = 9, STRING = 8;

    /** A tensor value info; each dim is a Long (size) or a String (symbolic name). */
    static ValueInfoProto info(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
                .build();
    }

    static NodeProto node(String op, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + String.join("_", outputs));
        for (String i : inputs) n.addInput(i);
        for (String o : outputs) n.addOutput(o);
        for (AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    static String[] in(String... names) { return names; }

    static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    static TensorProto tensor(String name, OnnxTensor t) { return TensorProtos.toProto(t, name); }

    static GraphProto.Builder graph() { return GraphProto.newBuilder().setName("g"); }

    static ModelProto model(GraphProto g, int opset) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    static ModelProto model(GraphProto g, int opset, FunctionProto... functions) {
        ModelProto.Builder m = model(g, opset).toBuilder();
        for (FunctionProto f : functions) m.addFunctions(f);
        return m.build();
    }
}
