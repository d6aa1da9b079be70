package dev.anneau.onnx;

import static dev.anneau.onnx.TestModels.FLOAT;
import static dev.anneau.onnx.TestModels.INT64;
import static dev.anneau.onnx.TestModels.attr;
import static dev.anneau.onnx.TestModels.graph;
import static dev.anneau.onnx.TestModels.graphAttr;
import static dev.anneau.onnx.TestModels.in;
import static dev.anneau.onnx.TestModels.info;
import static dev.anneau.onnx.TestModels.ints;
import static dev.anneau.onnx.TestModels.model;
import static dev.anneau.onnx.TestModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.onnx.proto.Onnx.FunctionProto;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Importer behaviour: folding, free dimensions, value-driven inputs, If, functions, error collection. */
class OnnxImporterTest {
    static MLContext ctx;

    @BeforeAll
    static void context() { ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu")); }

    @AfterAll
    static void destroy() { ctx.destroy(); }

    static OnnxModel load(GraphProto g, int opset) { return OnnxModel.load(model(g, opset).toByteArray()); }

    static OnnxTensor floats(long[] shape, float... v) { return OnnxTensor.ofFloats(shape, v); }

    @Test
    void everyUnsupportedOperatorAndAttributeIsListedInOneError() {
        GraphProto g = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L)).addOutput(info("z", FLOAT, 2L))
                .addNode(node("FancyOp", in("x"), in("a")))
                .addNode(node("Relu", in("a"), in("y")))
                .addNode(node("Elu", in("x"), in("b"), attr("no_such_attribute", 1L)))
                .addNode(node("OtherFancyOp", in("b"), in("z")))
                .build();
        OnnxUnsupportedException e = assertThrows(OnnxUnsupportedException.class, () -> OnnxImporter.importModel(ctx, load(g, 13)));
        assertEquals(3, e.issues().size(), e.getMessage());
        assertTrue(e.getMessage().contains("FancyOp (node fancyop_a): operator FancyOp is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("attribute 'no_such_attribute' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("OtherFancyOp (node otherfancyop_z)"), e.getMessage());
    }

    @Test
    void shapeComputationsAreFoldedAtImport() {
        // y = Reshape(x, Concat(Gather(Shape(x), 0), [-1])): a static shape computation
        GraphProto g = graph().addInput(info("x", FLOAT, 2L, 3L, 2L)).addOutput(info("y", FLOAT, 2L, 6L))
                .addInitializer(TestModels.tensor("zero", OnnxTensor.ofLongs(ElementType.INT64, new long[0], 0)))
                .addInitializer(TestModels.tensor("minus1", OnnxTensor.int64s(-1)))
                .addNode(node("Shape", in("x"), in("s")))
                .addNode(node("Gather", in("s", "zero"), in("n")))
                .addNode(node("Unsqueeze", in("n"), in("n1"), ints("axes", 0)))
                .addNode(node("Concat", in("n1", "minus1"), in("target"), attr("axis", 0L)))
                .addNode(node("Reshape", in("x", "target"), in("y")))
                .build();
        try (ImportedGraph ig = OnnxImporter.importModel(ctx, load(g, 11))) {
            assertArrayEquals(new long[] {2, 6}, ig.outputs().get(0).shape());
        }
    }

    @Test
    void freeDimensionsNeedABindingOrTheData() {
        GraphProto g = graph().addInput(info("x", FLOAT, "batch", 3L)).addOutput(info("y", FLOAT, "batch", 3L))
                .addNode(node("Relu", in("x"), in("y"))).build();
        OnnxModel m = load(g, 13);
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(ctx, m));
        assertTrue(e.getMessage().contains("'batch'") && e.getMessage().contains("freeDimensionOverrides"), e.getMessage());
        try (ImportedGraph ig = OnnxImporter.importModel(ctx, m, ImportOptions.defaults().withFreeDimension("batch", 4))) {
            assertArrayEquals(new long[] {4, 3}, ig.inputs().get(0).shape());
        }
        try (OnnxSession s = new OnnxSession(ctx, m)) {
            float[] y1 = s.run(Map.of("x", floats(new long[] {1, 3}, -1, 2, -3))).get("y").toFloatArray();
            float[] y2 = s.run(Map.of("x", floats(new long[] {2, 3}, 1, -2, 3, -4, 5, -6))).get("y").toFloatArray();
            s.run(Map.of("x", floats(new long[] {1, 3}, 0, 0, 0)));
            assertArrayEquals(new float[] {0, 2, 0}, y1);
            assertArrayEquals(new float[] {1, 0, 3, 0, 5, 0}, y2);
            assertEquals(2, s.cachedGraphs());
        }
        OnnxImportException fixed = assertThrows(OnnxImportException.class, () -> {
            try (OnnxSession s = new OnnxSession(ctx, m)) {
                s.run(Map.of("x", floats(new long[] {1, 2}, 1, 2)));
            }
        });
        assertTrue(fixed.getMessage().contains("fixed to 3"), fixed.getMessage());
    }

    @Test
    void runsWithRawBuffersWhenShapesAreBound() {
        GraphProto g = graph().addInput(info("x", FLOAT, "n")).addOutput(info("y", FLOAT, "n"))
                .addNode(node("Neg", in("x"), in("y"))).build();
        try (OnnxSession s = new OnnxSession(ctx, load(g, 13), ImportOptions.defaults().withFreeDimension("n", 2))) {
            java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2);
            java.nio.ByteBuffer y = s.runBuffers(Map.of("x", x.flip())).get("y");
            assertEquals(-1.5f, y.getFloat(0));
            assertEquals(2f, y.getFloat(4));
        }
    }

    @Test
    void inputsThatDriveShapesAreFoldedPerValue() {
        GraphProto g = graph().addInput(info("x", FLOAT, 6L)).addInput(info("shape", INT64, 2L)).addOutput(info("y", FLOAT, "a", "b"))
                .addNode(node("Reshape", in("x", "shape"), in("y"))).build();
        OnnxModel m = load(g, 13);
        OnnxUnsupportedException e = assertThrows(OnnxUnsupportedException.class, () -> OnnxImporter.importModel(ctx, m));
        assertEquals(java.util.Set.of("shape"), e.inputsNeedingValues());
        try (OnnxSession s = new OnnxSession(ctx, m)) {
            OnnxTensor x = floats(new long[] {6}, 1, 2, 3, 4, 5, 6);
            assertArrayEquals(new long[] {2, 3}, s.run(Map.of("x", x, "shape", OnnxTensor.int64s(2, 3))).get("y").shape());
            OnnxTensor y = s.run(Map.of("x", x, "shape", OnnxTensor.int64s(3, -1))).get("y");
            assertArrayEquals(new long[] {3, 2}, y.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, y.toFloatArray());
            assertEquals(java.util.Set.of("shape"), s.valueInputs());
            assertEquals(2, s.cachedGraphs());
        }
    }

    @Test
    void ifWithAKnownConditionImportsOneBranch() {
        GraphProto thenG = graph().setName("then").addOutput(info("t", FLOAT, 2L)).addNode(node("Neg", in("x"), in("t"))).build();
        GraphProto elseG = graph().setName("else").addOutput(info("e", FLOAT, 2L)).addNode(node("Relu", in("x"), in("e"))).build();
        GraphProto g = graph().addInput(info("x", FLOAT, 2L)).addInput(info("c", TestModels.BOOL)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("If", in("c"), in("y"), graphAttr("then_branch", thenG), graphAttr("else_branch", elseG))).build();
        OnnxModel m = load(g, 13);
        try (OnnxSession s = new OnnxSession(ctx, m)) {
            OnnxTensor x = floats(new long[] {2}, -1, 2);
            OnnxTensor yes = OnnxTensor.ofLongs(ElementType.BOOL, new long[0], 1);
            OnnxTensor no = OnnxTensor.ofLongs(ElementType.BOOL, new long[0], 0);
            assertArrayEquals(new float[] {1, -2}, s.run(Map.of("x", x, "c", yes)).get("y").toFloatArray());
            assertArrayEquals(new float[] {0, 2}, s.run(Map.of("x", x, "c", no)).get("y").toFloatArray());
        }
    }

    @Test
    void modelLocalFunctionsAreInlinedWithTheirAttributes() {
        // function Scale(X) = Mul(X, Constant(value_float = @factor))
        FunctionProto f = FunctionProto.newBuilder().setName("Scale").setDomain("local").addInput("X").addOutput("Y").addAttribute("factor")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addNode(node("Constant", in(), in("k"), dev.anneau.onnx.proto.Onnx.AttributeProto.newBuilder().setName("value_float")
                        .setRefAttrName("factor").setType(dev.anneau.onnx.proto.Onnx.AttributeProto.AttributeType.FLOAT).build()))
                .addNode(node("Mul", in("X", "k"), in("Y"))).build();
        GraphProto g = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Scale", in("x"), in("y"), attr("factor", 3f)).toBuilder().setDomain("local").build()).build();
        OnnxModel m = OnnxModel.load(model(g, 13, f).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1)).build().toByteArray());
        try (OnnxSession s = new OnnxSession(ctx, m)) {
            assertArrayEquals(new float[] {3, -6}, s.run(Map.of("x", floats(new long[] {2}, 1, -2))).get("y").toFloatArray());
        }
    }

    @Test
    void softmaxBeforeOpset13FlattensAtTheAxis() {
        // x [2, 2]: opset 11 with axis=0 normalizes over all 4 elements; opset 13 over each column
        GraphProto g = graph().addInput(info("x", FLOAT, 2L, 2L)).addOutput(info("y", FLOAT, 2L, 2L))
                .addNode(node("Softmax", in("x"), in("y"), attr("axis", 0L))).build();
        OnnxTensor x = floats(new long[] {2, 2}, 0, 0, 0, (float) Math.log(5));
        try (OnnxSession s = new OnnxSession(ctx, load(g, 11))) {
            float[] y = s.run(Map.of("x", x)).get("y").toFloatArray();
            assertArrayEquals(new float[] {1 / 8f, 1 / 8f, 1 / 8f, 5 / 8f}, y, 1e-6f);
        }
        try (OnnxSession s = new OnnxSession(ctx, load(g, 13))) {
            float[] y = s.run(Map.of("x", x)).get("y").toFloatArray();
            assertArrayEquals(new float[] {0.5f, 1 / 6f, 0.5f, 5 / 6f}, y, 1e-6f);
        }
    }

    @Test
    void constantOutputsNeedNoGraph() {
        GraphProto g = graph().addInput(info("x", FLOAT, 2L, 3L)).addOutput(info("s", INT64, 2L))
                .addNode(node("Shape", in("x"), in("s"))).build();
        try (ImportedGraph ig = OnnxImporter.importModel(ctx, load(g, 13))) {
            assertNull(ig.graph());
            assertNotNull(ig.outputs().get(0).constant());
            assertArrayEquals(new long[] {2, 3}, ig.outputs().get(0).constant().toLongArray());
        }
    }

    @Test
    void boolMapsToUint8() {
        GraphProto g = graph().addInput(info("a", FLOAT, 3L)).addInput(info("b", FLOAT, 3L)).addOutput(info("y", TestModels.BOOL, 3L))
                .addNode(node("Less", in("a", "b"), in("l")))
                .addNode(node("Not", in("l"), in("y"))).build();
        try (OnnxSession s = new OnnxSession(ctx, load(g, 13))) {
            OnnxTensor y = s.run(Map.of("a", floats(new long[] {3}, 1, 2, 3), "b", floats(new long[] {3}, 2, 2, 2))).get("y");
            assertEquals(ElementType.BOOL, y.type());
            assertArrayEquals(new long[] {0, 1, 1}, y.toLongArray());
        }
    }

    @Test
    void matMulIntegerIsExactBeyondFloatPrecision() {
        // K = 600 products of 255 * 255 sum to 39,015,000 > 2^24: a plain float32 matmul would round
        int k = 600;
        byte[] a = new byte[k], w = new byte[k];
        java.util.Arrays.fill(a, (byte) 255);
        java.util.Arrays.fill(w, (byte) 255);
        a[0] = 0; // make the exact sum odd-looking: 599 * 65025 = 38,949,975
        GraphProto g = graph().addInput(info("a", 2, 1L, (long) k)).addOutput(info("y", 6, 1L, 1L))
                .addInitializer(TestModels.tensor("w", OnnxTensor.wrap(ElementType.UINT8, new long[] {k, 1}, java.nio.ByteBuffer.wrap(w))))
                .addNode(node("MatMulInteger", in("a", "w"), in("y"))).build();
        try (OnnxSession s = new OnnxSession(ctx, load(g, 13))) {
            OnnxTensor y = s.run(Map.of("a", OnnxTensor.wrap(ElementType.UINT8, new long[] {1, k}, java.nio.ByteBuffer.wrap(a)))).get("y");
            assertEquals(599L * 65025L, y.getLong(0));
        }
    }
}
