package dev.anneau.cli;

import static dev.anneau.cli.AnneauCliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anneau.cli.AnneauCliTest.Run;
import dev.anneau.models.ModelCatalog;
import dev.anneau.models.ModelSpec;
import dev.anneau.onnx.ElementType;
import dev.anneau.onnx.Npy;
import dev.anneau.onnx.OnnxNodeSuite;
import dev.anneau.onnx.OnnxTensor;
import dev.anneau.onnx.TensorProtos;
import dev.anneau.onnx.proto.Onnx.GraphProto;
import dev.anneau.onnx.proto.Onnx.ModelProto;
import dev.anneau.onnx.proto.Onnx.NodeProto;
import dev.anneau.onnx.proto.Onnx.OperatorSetIdProto;
import dev.anneau.onnx.proto.Onnx.TensorShapeProto;
import dev.anneau.onnx.proto.Onnx.TypeProto;
import dev.anneau.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anneau run}, {@code anneau models} and ONNX test folders in {@code anneau conformance}. */
class RunCommandTest {
    static Path testdata() {
        return Path.of(System.getProperty("anneau.testdata", "../testdata")).resolve("onnx-node");
    }

    /** An ONNX backend test folder of testdata/onnx-node (the ONNX project's data: inputs and expected outputs). */
    static Path onnxTest(String name) {
        Path p = testdata().resolve("node").resolve(name);
        assertTrue(Files.isRegularFile(p.resolve("model.onnx")), "missing " + p);
        return p;
    }

    static ValueInfoProto info(String name, int elemType, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }

    /** x (float32 [2, 3]) -> op -> "out/relu:0"; op "Relu" or an operator no importer knows. */
    static Path model(Path dir, String op) throws Exception {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(info("x", 1, 2, 3))
                .addNode(NodeProto.newBuilder().setOpType(op).setName("the_" + op).addInput("x").addOutput("out/relu:0"))
                .addOutput(info("out/relu:0", 1, 2, 3)).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
        Path f = dir.resolve(op + ".onnx");
        Files.write(f, m.toByteArray());
        return f;
    }

    @Test
    void runsAnOnnxBackendTestFromNpyFilesAndMatchesItsExpectedOutput(@TempDir Path dir) throws Exception {
        Path test = onnxTest("test_matmul_2d");
        OnnxTensor a = TensorProtos.read(test.resolve("test_data_set_0/input_0.pb"));
        OnnxTensor b = TensorProtos.read(test.resolve("test_data_set_0/input_1.pb"));
        OnnxTensor expected = TensorProtos.read(test.resolve("test_data_set_0/output_0.pb"));
        Npy.write(dir.resolve("a.npy"), a);
        Npy.write(dir.resolve("b.npy"), b);
        Path out = dir.resolve("out");

        Run r = run("run", test.resolve("model.onnx").toString(), "--input", "a=" + dir.resolve("a.npy"),
                "--input", "b=" + dir.resolve("b.npy"), "--output-dir", out.toString(), "--verbose");

        assertEquals(0, r.exit(), r.out() + r.err());
        OnnxTensor got = Npy.read(out.resolve("c.npy"));
        assertNull(OnnxNodeSuite.compare(expected, got), "output differs from the ONNX test data");
        assertTrue(r.out().contains("c: float32 [3, 3] -> "), r.out());
        assertTrue(r.out().matches("(?s).*time: load [\\d.]+ ms, context [\\d.]+ ms, import [\\d.]+ ms, build [\\d.]+ ms, "
                + "dispatch\\+read [\\d.]+ ms, write [\\d.]+ ms.*"), r.out());
    }

    @Test
    void convertsOtherDtypesWithANoteAndSanitizesOutputNames(@TempDir Path dir) throws Exception {
        Path m = model(dir, "Relu");
        double[] x = {-1.5, 0, 2.25, -3, 4.5, 1e-3};
        Npy.write(dir.resolve("x.npy"), OnnxTensor.ofDoubles(ElementType.DOUBLE, new long[] {2, 3}, x)); // float64, as NumPy defaults to
        Run r = run("run", m.toString(), "-i", "x=" + dir.resolve("x.npy"), "-o", dir.resolve("o").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("float64, converted to the model's float32"), r.err());
        OnnxTensor y = Npy.read(dir.resolve("o/out_relu_0.npy")); // "out/relu:0" sanitized
        assertEquals(ElementType.FLOAT, y.type());
        assertArrayEquals(new long[] {2, 3}, y.shape());
        for (int i = 0; i < x.length; i++) assertEquals((float) Math.max(0, x[i]), y.toFloatArray()[i]);
    }

    @Test
    void randomInputsAreSeededAndShapedByTheModel(@TempDir Path dir) throws Exception {
        Path m = model(dir, "Relu");
        assertEquals(0, run("run", m.toString(), "--random-inputs", "--seed", "7", "-o", dir.resolve("a").toString()).exit());
        assertEquals(0, run("run", m.toString(), "--random-inputs", "--seed", "7", "-o", dir.resolve("b").toString()).exit());
        assertEquals(0, run("run", m.toString(), "--random-inputs", "--seed", "8", "-o", dir.resolve("c").toString()).exit());
        OnnxTensor a = Npy.read(dir.resolve("a/out_relu_0.npy"));
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertTrue(a.contentEquals(Npy.read(dir.resolve("b/out_relu_0.npy"))), "same seed, same inputs");
        assertTrue(!a.contentEquals(Npy.read(dir.resolve("c/out_relu_0.npy"))), "another seed, other inputs");
        for (float v : a.toFloatArray()) assertTrue(v >= 0 && v < 1, "relu of uniform [0, 1) values: " + v);
    }

    @Test
    void inputProblemsExitTwoWithTheReason(@TempDir Path dir) throws Exception {
        Path m = model(dir, "Relu");
        String o = dir.resolve("o").toString();

        Run missing = run("run", m.toString(), "-o", o);
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("missing input [x]") && missing.err().contains("x: float32[2, 3]"), missing.err());

        Npy.write(dir.resolve("wrong.npy"), OnnxTensor.zeros(ElementType.FLOAT, 3, 2));
        Run shape = run("run", m.toString(), "-i", "x=" + dir.resolve("wrong.npy"), "-o", o);
        assertEquals(2, shape.exit());
        assertTrue(shape.err().contains("has shape [3, 2], the model wants [2, 3]: dimension 0 must be 2"), shape.err());

        Files.writeString(dir.resolve("bad.npy"), "not numpy at all");
        Run bad = run("run", m.toString(), "-i", "x=" + dir.resolve("bad.npy"), "-o", o);
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("not a .npy file"), bad.err());

        Run unknown = run("run", m.toString(), "-i", "nope=" + dir.resolve("wrong.npy"), "-o", o);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("the model has no input 'nope'"), unknown.err());

        Path truncated = dir.resolve("truncated.onnx");
        byte[] full = Files.readAllBytes(m);
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        Run malformed = run("run", truncated.toString(), "--random-inputs", "-o", o);
        assertEquals(2, malformed.exit());
        assertTrue(malformed.err().contains("cannot load " + truncated), malformed.err());

        Path cyclic = dir.resolve("cyclic.onnx");
        Files.write(cyclic, ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(GraphProto.newBuilder().setName("g").addInput(info("x", 1, 2)).addOutput(info("y", 1, 2))
                        .addNode(NodeProto.newBuilder().setOpType("Add").setName("n1").addInput("x").addInput("z").addOutput("y"))
                        .addNode(NodeProto.newBuilder().setOpType("Relu").setName("n2").addInput("y").addOutput("z")))
                .build().toByteArray());
        Run cycle = run("run", cyclic.toString(), "--random-inputs", "-o", o);
        assertEquals(2, cycle.exit());
        assertTrue(cycle.err().contains("cycle through nodes ['n1' (Add), 'n2' (Relu)]"), cycle.err());

        Path huge = dir.resolve("huge.onnx");
        Files.write(huge, ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(GraphProto.newBuilder().setName("g").addInput(info("x", 1, 1_000_000, 1_000_000, 1_000_000))
                        .addOutput(info("y", 1, 1_000_000, 1_000_000, 1_000_000))
                        .addNode(NodeProto.newBuilder().setOpType("Relu").setName("n").addInput("x").addOutput("y")))
                .build().toByteArray());
        Run tooBig = run("run", huge.toString(), "--random-inputs", "-o", o);
        assertEquals(2, tooBig.exit());
        assertTrue(tooBig.err().contains("is too large"), tooBig.err());

        Run noModel = run("run", "no-such-model", "--random-inputs", "-o", o);
        assertEquals(2, noModel.exit());
        assertTrue(noModel.err().contains("known ids: [blazeface"), noModel.err());

        Run noBackend = run("run", m.toString(), "--random-inputs", "-b", "nosuch", "-o", o);
        assertEquals(2, noBackend.exit());
        assertTrue(noBackend.err().contains("unknown backend 'nosuch'"), noBackend.err());

        Run noDir = run("run", m.toString(), "--random-inputs");
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("--output-dir"), noDir.err());
        assertTrue(!Files.exists(dir.resolve("o")), "nothing written on errors");
    }

    @Test
    void anUnsupportedOperatorExitsOneAndIsNamedWithItsNode(@TempDir Path dir) throws Exception {
        Path m = model(dir, "FrobnicateXyz");
        Run r = run("run", m.toString(), "--random-inputs", "-o", dir.resolve("o").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("cannot run on the") && r.err().contains("FrobnicateXyz (node the_FrobnicateXyz)"), r.err());
    }

    @Test
    void outputFileNamesAreSafeAndDistinct() {
        Map<String, String> n = RunCommand.fileNames(List.of("a/b:0", "a_b_0", "A_B_0", "..", "", "ok.name-1"));
        assertEquals("a_b_0", n.get("a/b:0"));
        assertEquals("a_b_0_2", n.get("a_b_0"));
        assertEquals("A_B_0_3", n.get("A_B_0"));
        assertEquals("output", n.get(".."));
        assertEquals("output_2", n.get(""));
        assertEquals("ok.name-1", n.get("ok.name-1"));
    }

    @Test
    void modelsListShowsTheCatalogAndFetchRefusesUnknownIds() {
        Run r = run("models", "list");
        assertEquals(0, r.exit(), r.err());
        for (ModelSpec m : ModelCatalog.all()) {
            assertTrue(r.out().contains(m.id()) && r.out().contains(m.source().coordinates()), r.out());
        }
        assertTrue(r.out().contains("cache: "), r.out());
        Run bad = run("models", "fetch", "nosuch");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown model 'nosuch'"), bad.err());
        assertEquals(2, run("models").exit());
    }

    @Test
    void conformanceRunsOnnxTestFoldersAndCountsThem(@TempDir Path dir) throws Exception {
        // two tests of the ONNX data, one of them with a wrong expected output, and one unsupported model
        copy(onnxTest("test_relu"), dir.resolve("suite/test_relu"));
        copy(onnxTest("test_add"), dir.resolve("suite/test_add_wrong"));
        OnnxTensor sum = TensorProtos.read(dir.resolve("suite/test_add_wrong/test_data_set_0/output_0.pb"));
        OnnxTensor off = OnnxTensor.ofFloats(sum.shape(), sum.toFloatArray());
        off.setDouble(0, off.getDouble(0) + 1);
        Files.write(dir.resolve("suite/test_add_wrong/test_data_set_0/output_0.pb"), TensorProtos.toProto(off, "sum").toByteArray());
        Path unsupported = dir.resolve("suite/test_frobnicate");
        Files.createDirectories(unsupported.resolve("test_data_set_0"));
        Files.move(model(dir, "FrobnicateXyz"), unsupported.resolve("model.onnx"));
        Files.write(unsupported.resolve("test_data_set_0/input_0.pb"),
                TensorProtos.toProto(OnnxTensor.zeros(ElementType.FLOAT, 2, 3), "x").toByteArray());
        Path report = dir.resolve("onnx.json");

        Run r = run("conformance", "-v", "-r", report.toString(), dir.resolve("suite").toString());

        assertEquals(1, r.exit(), r.out() + r.err());
        String[] lines = r.out().strip().split("\\R");
        assertEquals("onnx-node: 1 passed, 1 failed, 1 unsupported", lines[lines.length - 1], r.out());
        assertTrue(r.out().contains("FAILED  suite/test_add_wrong"), r.out());
        assertTrue(r.out().contains("FrobnicateXyz (node the_FrobnicateXyz)"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(1, json.path("summary").path("passed").asInt());
        assertEquals(1, json.path("summary").path("failed").asInt());
        assertEquals(1, json.path("summary").path("unsupported").asInt());

        Run one = run("conformance", "-q", "-f", "relu", dir.resolve("suite").toString());
        assertEquals(0, one.exit(), one.out() + one.err());
        assertEquals("onnx-node: 1 passed, 0 failed, 0 unsupported", one.out().strip());

        Path md = dir.resolve("onnx.md");
        assertEquals(0, run("conformance", "-q", "-r", md.toString(), dir.resolve("suite/test_relu").toString()).exit());
        assertTrue(Files.readString(md).contains("| suite/test_relu | passed |"), Files.readString(md));
    }

    @Test
    void infoListsTheOnnxImporterAndWhyBackendsAreNotTheDefault() {
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*ONNX importer.*\\n  operators:\\s+\\d{2,} .*"), r.out());
        java.util.regex.Matcher d = java.util.regex.Pattern.compile("default backend: (\\S+)").matcher(r.out());
        assertTrue(d.find(), r.out());
        for (var b : dev.anneau.webnn.ML.backends()) {
            if (!b.name().equals(d.group(1))) assertTrue(r.out().contains("  " + b.name() + " skipped: "), r.out());
            if (b.name().equals("ort") && b.availability().available()) {
                assertTrue(r.out().contains("  providers:        ") && r.out().contains("CPU"), r.out());
                assertTrue(r.out().contains("  EP devices:       "), r.out());
            }
        }
    }

    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
