package dev.anneau.onnx;

import static dev.anneau.onnx.TestModels.FLOAT;
import static dev.anneau.onnx.TestModels.graph;
import static dev.anneau.onnx.TestModels.in;
import static dev.anneau.onnx.TestModels.info;
import static dev.anneau.onnx.TestModels.model;
import static dev.anneau.onnx.TestModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.ModelProto;
import dev.anneau.onnx.proto.Onnx.StringStringEntryProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: protobuf parsing, external data, and the clear errors malformed models must give. */
class OnnxModelTest {
    static MLContext ctx;

    @BeforeAll
    static void context() { ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu")); }

    @AfterAll
    static void destroy() { ctx.destroy(); }

    /** y = x * w + b with w, b initializers. */
    static ModelProto affine(TensorProto w) {
        GraphProto g = graph()
                .addInput(info("x", FLOAT, 2L))
                .addOutput(info("y", FLOAT, 2L))
                .addInitializer(w)
                .addInitializer(TestModels.tensor("b", OnnxTensor.ofFloats(new long[] {2}, 10, 20)))
                .addNode(node("Mul", in("x", "w"), in("t")))
                .addNode(node("Add", in("t", "b"), in("y")))
                .build();
        return model(g, 13);
    }

    static float[] run(OnnxModel m, float... x) {
        try (OnnxSession s = new OnnxSession(ctx, m)) {
            return s.run(Map.of("x", OnnxTensor.ofFloats(new long[] {x.length}, x))).get("y").toFloatArray();
        }
    }

    @Test
    void loadsAndRunsFromBytes() {
        OnnxModel m = OnnxModel.load(affine(TestModels.tensor("w", OnnxTensor.ofFloats(new long[] {2}, 2, 3))).toByteArray());
        assertEquals(13, m.opset());
        assertEquals(1, m.inputs().size());
        assertArrayEquals(new float[] {1 * 2 + 10, 4 * 3 + 20}, run(m, 1, 4));
    }

    @Test
    void typedDataFieldsAreRead() {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(2).addFloatData(-1).addFloatData(0.5f).build();
        assertArrayEquals(new float[] {-1 + 10, 1 + 20}, run(OnnxModel.load(affine(w).toByteArray()), 1, 2));
    }

    @Test
    void externalDataIsReadFromTheModelsFolder(@TempDir Path dir) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(99).putFloat(99).putFloat(5).putFloat(7);
        Files.write(dir.resolve("weights.bin"), data.array());
        TensorProto w = external("weights.bin", 8, 8);
        Files.write(dir.resolve("model.onnx"), affine(w).toByteArray());
        assertArrayEquals(new float[] {1 * 5 + 10, 2 * 7 + 20}, run(OnnxModel.load(dir.resolve("model.onnx")), 1, 2));
    }

    static TensorProto external(String location, long offset, long length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset >= 0) t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)));
        if (length >= 0) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        return t.build();
    }

    @Test
    void missingOrEscapingExternalDataIsRefused(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m").resolve("model.onnx");
        Files.createDirectories(model.getParent());
        Files.write(dir.resolve("secret.bin"), new byte[8]);
        Files.write(model, affine(external("weights.bin", -1, -1)).toByteArray());
        assertMessage(model, "not found");
        Files.write(model, affine(external("../secret.bin", -1, -1)).toByteArray());
        assertMessage(model, "outside the model's folder");
        Files.write(model, affine(external(dir.resolve("secret.bin").toAbsolutePath().toString(), -1, -1)).toByteArray());
        assertMessage(model, "must be relative");
        Files.createSymbolicLink(model.getParent().resolve("link.bin"), dir.resolve("secret.bin"));
        Files.write(model, affine(external("link.bin", -1, -1)).toByteArray());
        assertMessage(model, "through a link");
        Files.write(model.getParent().resolve("short.bin"), new byte[6]);
        Files.write(model, affine(external("short.bin", -1, -1)).toByteArray());
        assertMessage(model, "needs 8 bytes");
        Files.write(model, affine(external("short.bin", 0, 6)).toByteArray());
        assertMessage(model, "does not match");
        // bytes: no folder to read from
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxModel.load(affine(external("weights.bin", -1, -1)).toByteArray()));
        assertTrue(e.getMessage().contains("needs the model's folder"), e.getMessage());
    }

    private static void assertMessage(Path model, String part) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(model));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void everyTruncationGivesAnImportErrorOrAValidSmallerModel() throws Exception {
        byte[] full = Files.readAllBytes(Path.of(System.getProperty("anneau.testdata", "../testdata"),
                "onnx-node", "pytorch-converted", "test_Conv2d", "model.onnx"));
        for (int len = 0; len < full.length; len += Math.max(1, full.length / 400)) {
            byte[] cut = java.util.Arrays.copyOf(full, len);
            try {
                OnnxModel m = OnnxModel.load(cut);
                try (ImportedGraph g = OnnxImporter.importModel(ctx, m)) {
                    // a cut at a field boundary may still be a complete (smaller) model
                    assertTrue(g.outputs().size() >= 1);
                }
            } catch (OnnxImportException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            } catch (RuntimeException | Error other) {
                fail("truncation at " + len + " of " + full.length + " bytes threw " + other);
            }
        }
    }

    @Test
    void garbageIsNotAModel() {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxModel.load("hello, world".getBytes()));
        assertTrue(e.getMessage().contains("not a valid ONNX model") || e.getMessage().contains("not an ONNX model"), e.getMessage());
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeAllocating() {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(1_000_000).addDims(1_000_000)
                .addDims(1_000_000).build();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(affine(w).toByteArray()));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
        TensorProto overflow = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(Long.MAX_VALUE).addDims(4).build();
        e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(affine(overflow).toByteArray()));
        assertTrue(e.getMessage().contains("2^63") || e.getMessage().contains("bytes"), e.getMessage());
        TensorProto mismatch = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(1000)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8])).build();
        e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(affine(mismatch).toByteArray()));
        assertTrue(e.getMessage().contains("raw_data holds 8 bytes"), e.getMessage());
        // a graph input of 10^12 elements
        GraphProto g = graph().addInput(info("x", FLOAT, 1_000_000L, 1_000_000L)).addOutput(info("y", FLOAT, 1_000_000L, 1_000_000L))
                .addNode(node("Relu", in("x"), in("y"))).build();
        OnnxImportException ie = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(ctx, OnnxModel.load(model(g, 13).toByteArray())));
        assertTrue(ie.getMessage().contains("input 'x'") || ie.getMessage().contains("graph input 'x'"), ie.getMessage());
    }

    @Test
    void cyclesAndUndefinedValuesAreStructuralErrors() {
        GraphProto cyclic = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Add", in("x", "b"), in("a")))
                .addNode(node("Relu", in("a"), in("b")))
                .addNode(node("Relu", in("a"), in("y"))).build();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(model(cyclic, 13).toByteArray()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        GraphProto self = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Add", in("x", "y"), in("y"))).build();
        e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(model(self, 13).toByteArray()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        GraphProto undefined = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Add", in("x", "nowhere"), in("y"))).build();
        e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(model(undefined, 13).toByteArray()));
        assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
        GraphProto twice = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Relu", in("x"), in("y"))).addNode(node("Neg", in("x"), in("y"))).build();
        e = assertThrows(OnnxImportException.class, () -> OnnxModel.load(model(twice, 13).toByteArray()));
        assertTrue(e.getMessage().contains("produced twice"), e.getMessage());
    }

    @Test
    void nodesOutOfOrderAreSorted() {
        GraphProto g = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", FLOAT, 2L))
                .addNode(node("Neg", in("t"), in("y")))
                .addNode(node("Relu", in("x"), in("t"))).build();
        OnnxModel m = OnnxModel.load(model(g, 13).toByteArray());
        assertArrayEquals(new float[] {-0f, -3}, run(m, -1, 3));
    }

    @Test
    void wrongTypesAreReportedWithTheNode() {
        GraphProto mixed = graph().addInput(info("x", FLOAT, 2L)).addInput(info("i", TestModels.INT64, 2L))
                .addOutput(info("y", FLOAT, 2L)).addNode(node("Add", in("x", "i"), in("y"))).build();
        OnnxUnsupportedException e = assertThrows(OnnxUnsupportedException.class,
                () -> OnnxImporter.importModel(ctx, OnnxModel.load(model(mixed, 13).toByteArray())));
        assertTrue(e.getMessage().contains("Add (node add_y)"), e.getMessage());
        GraphProto declared = graph().addInput(info("x", FLOAT, 2L)).addOutput(info("y", TestModels.INT64, 2L))
                .addNode(node("Relu", in("x"), in("y"))).build();
        e = assertThrows(OnnxUnsupportedException.class, () -> OnnxImporter.importModel(ctx, OnnxModel.load(model(declared, 13).toByteArray())));
        assertTrue(e.getMessage().contains("declares int64"), e.getMessage());
        TensorProto str = TensorProto.newBuilder().setName("w").setDataType(TestModels.STRING).addDims(1)
                .addStringData(com.google.protobuf.ByteString.copyFromUtf8("hi")).build();
        OnnxImportException se = assertThrows(OnnxImportException.class, () -> OnnxModel.load(affine(str).toByteArray()));
        assertTrue(se.getMessage().contains("string"), se.getMessage());
    }
}
