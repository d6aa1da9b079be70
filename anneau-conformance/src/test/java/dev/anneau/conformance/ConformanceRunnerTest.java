package dev.anneau.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLOperandDataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on the CPU backend, with small hand-written tests (relu is the operator every branch has). */
class ConformanceRunnerTest {
    static ConformanceRunner runner;

    @BeforeAll
    static void start() { runner = new ConformanceRunner("cpu"); }

    @AfterAll
    static void stop() { runner.close(); }

    static WptTest test(String json) throws Exception {
        return WptSuite.parse("unit", "unit.json", WptSuite.JSON.readTree("[" + json + "]")).get(0);
    }

    static String relu(String name, String inputData, String dataType, String shape, String expected, String tolerance) {
        return """
                {"name": "%s",
                 "graph": {
                   "inputs": {"x": {"data": %s, "descriptor": {"shape": %s, "dataType": "%s"}}},
                   "operators": [{"name": "relu", "arguments": [{"input": "x"}], "outputs": "y"}],
                   "expectedOutputs": {"y": {"data": %s, "descriptor": {"shape": %s, "dataType": "%s"}}}},
                 "tolerance": %s}
                """.formatted(name, inputData, shape, dataType, expected, shape, dataType, tolerance);
    }

    static final String ULP0 = "{\"metricType\": \"ULP\", \"value\": 0}";

    @Test
    void passingTestRecordsTheWorstError() throws Exception {
        TestResult r = runner.run(test(relu("relu ok", "[-1, 2, \"-0\", 3.5]", "float32", "[2, 2]", "[0, 2, 0, 3.5]", ULP0)));
        assertEquals(TestStatus.PASSED, r.status(), r.reason());
        assertEquals("cpu", r.backend());
        assertEquals("ULP", r.metric());
        assertEquals(0.0, r.worstError());
        assertNull(r.reason());
    }

    @Test
    void wrongValuesFailWithTheFirstMismatches() throws Exception {
        TestResult r = runner.run(test(relu("relu wrong", "[-1, 2]", "float32", "[2]", "[0, 2.0000002384185791]", ULP0)));
        assertEquals(TestStatus.FAILED, r.status());
        assertEquals(1.0, r.worstError());
        assertTrue(r.reason().contains("output 'y': 1 of 2 elements outside ULP 0"), r.reason());
        assertTrue(r.reason().contains("[1] got 2.0, expected"), r.reason());
    }

    @Test
    void float16InputsAndExpectationsUseToHalf() throws Exception {
        // 1 + 2^-11 becomes 0x3C01 through toHalf on both sides; relu passes it through
        TestResult r = runner.run(test(relu("relu f16", "[-1, 1.00048828125]", "float16", "[2]", "[0, 1.00048828125]", ULP0)));
        assertEquals(TestStatus.PASSED, r.status(), r.reason());
    }

    @Test
    void scalarInputDataFillsTheShape() throws Exception {
        TestResult r = runner.run(test(relu("relu scalar", "-2", "float32", "[3, 2]", "0", ULP0)));
        assertEquals(TestStatus.PASSED, r.status(), r.reason());
    }

    @Test
    void outputDescriptorIsCheckedBeforeBuild() throws Exception {
        String t = relu("relu bad shape", "[1, 2]", "float32", "[2]", "[1, 2]", ULP0)
                .replaceFirst("(\"expectedOutputs\".*?)\"shape\": \\[2]", "$1\"shape\": [1, 2]");
        TestResult r = runner.run(test(t));
        assertEquals(TestStatus.FAILED, r.status());
        assertTrue(r.reason().contains("output 'y' is float32 [2], the test expects float32 [1, 2]"), r.reason());
    }

    @Test
    void operatorErrorsFailTheTestWithTheMessage() throws Exception {
        TestResult r = runner.run(test(relu("frobnicate", "[1]", "float32", "[1]", "[1]", ULP0).replace("\"relu\"", "\"frobnicate\"")));
        assertEquals(TestStatus.FAILED, r.status());
        assertTrue(r.reason().startsWith("TypeError: unknown operator 'frobnicate'"), r.reason());
        assertTrue(r.reason().contains("while building operator #1 'frobnicate'"), r.reason());
    }

    @Test
    void schemaErrorsFailOnlyThatTest() throws Exception {
        List<WptTest> tests = WptSuite.parse("unit", "unit.json", WptSuite.JSON.readTree(
                "[{\"name\": \"no graph\", \"tolerance\": {\"metricType\": \"ULP\", \"value\": 0}}, "
                        + relu("fine", "[1]", "float32", "[1]", "[1]", ULP0) + ", 42]"));
        List<TestResult> rs = runner.runAll(tests, null);
        assertEquals(TestStatus.FAILED, rs.get(0).status());
        assertTrue(rs.get(0).reason().contains("schema error: 'graph' must be an object"), rs.get(0).reason());
        assertEquals(TestStatus.PASSED, rs.get(1).status(), rs.get(1).reason());
        assertEquals("#2", rs.get(2).name());
        assertEquals(TestStatus.FAILED, rs.get(2).status());
        TestResult badData = runner.run(test(relu("short data", "[1]", "float32", "[2]", "[1, 1]", ULP0)));
        assertEquals(TestStatus.FAILED, badData.status());
        assertTrue(badData.reason().contains("'data' has 1 values, the shape needs 2"), badData.reason());
    }

    @Test
    void quirksComeFromDataAndAreJudgedByTheirRules() throws Exception {
        Quirks q = Quirks.parse(WptSuite.JSON.readTree("""
                {"tests": [
                  {"name": "relu wrongly expected", "status": "known-wrong-expectation", "reason": "bad data"},
                  {"name": "relu should throw", "status": "expected-unsupported", "expectError": "TypeError", "reason": "removed"},
                  {"name": "frobnicate must throw", "status": "expected-unsupported", "expectError": "TypeError", "reason": "unknown op"}
                ]}"""));
        try (ConformanceRunner r = new ConformanceRunner("cpu", ConformanceRunner.DEFAULT_TIMEOUT, q)) {
            TestResult wrong = r.run(test(relu("relu wrongly expected", "[1]", "float32", "[1]", "[2]", ULP0)));
            assertEquals(TestStatus.KNOWN_WRONG_EXPECTATION, wrong.status());
            assertTrue(wrong.worstError() > 0);
            assertTrue(wrong.reason().startsWith("bad data; ran: differs"), wrong.reason());

            TestResult ran = r.run(test(relu("relu should throw", "[1]", "float32", "[1]", "[1]", ULP0)));
            assertEquals(TestStatus.FAILED, ran.status());
            assertTrue(ran.reason().startsWith("expected TypeError (removed), but the graph built and ran"), ran.reason());

            TestResult threw = r.run(test(relu("frobnicate must throw", "[1]", "float32", "[1]", "[1]", ULP0)
                    .replace("\"relu\"", "\"frobnicate\"")));
            assertEquals(TestStatus.EXPECTED_UNSUPPORTED, threw.status());
            assertTrue(threw.status().countsAsSkipped());
        }
    }

    @Test
    void builtInQuirksCoverTheSuiteReadme() {
        Quirks q = Quirks.builtIn();
        assertEquals(TestStatus.EXPECTED_UNSUPPORTED, q.forTest("pad.json", "pad float32 4D tensor options.mode='symmetric'").status());
        assertEquals(TestStatus.KNOWN_WRONG_EXPECTATION, q.forTest("pooling.json", "l2Pool2d float32 4D tensor options.roundingType=ceil").status());
        assertEquals(TestStatus.KNOWN_WRONG_EXPECTATION,
                q.forTest("pooling.json", "l2Pool2d float32 4D tensor options.outputSizes ignores options.roundingType=floor").status());
        assertNull(q.forTest("other.json", "l2Pool2d float32 4D tensor options.roundingType=ceil"));
        assertEquals("default-axis-last", q.forOperator("softmax").rule());
    }

    @Test
    void softmaxWithoutAxisGetsTheLastAxis() throws Exception {
        String t = relu("softmax legacy", "[1, 2, 3, 4]", "float32", "[2, 2]", "[0.2689414322376251, 0.7310585975646973, "
                + "0.2689414322376251, 0.7310585975646973]", "{\"metricType\": \"ULP\", \"value\": 9}").replace("\"relu\"", "\"softmax\"");
        TestResult r = runner.run(test(t));
        // whether or not softmax is implemented on this branch, the runner supplied axis = rank - 1
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("axis = 1")), r.notes().toString());
        assertTrue(r.reason() == null || !r.reason().contains("axis is required"), r.reason());
    }

    @Test
    void argumentObjectsWithSeveralKeysArePositional() throws Exception {
        // {"input": x, "options": {...}} in one object: two positional arguments, as the harness pushes one per key
        String t = relu("relu two keys", "[-1, 1]", "float32", "[2]", "[0, 1]", ULP0)
                .replace("[{\"input\": \"x\"}]", "[{\"input\": \"x\", \"options\": {\"label\": \"r\"}}]");
        TestResult r = runner.run(test(t));
        assertEquals(TestStatus.PASSED, r.status(), r.reason());
    }

    @Test
    void aTestThatRunsOutOfTimeFailsAndTheNextOneGetsAFreshContext() throws Exception {
        try (ConformanceRunner r = new ConformanceRunner("cpu", java.time.Duration.ofNanos(1), Quirks.none())) {
            TestResult slow = r.run(test(relu("relu slow", "-1", "float32", "[512, 1024]", "0", ULP0)));
            assertEquals(TestStatus.FAILED, slow.status());
            assertTrue(slow.reason().matches("timed out after 0 ms \\(while .*\\)"), slow.reason());
            r.timeout(java.time.Duration.ofSeconds(30));
            TestResult next = r.run(test(relu("relu next", "[-1, 1]", "float32", "[2]", "[0, 1]", ULP0)));
            assertEquals(TestStatus.PASSED, next.status(), next.reason());
        }
    }

    @Test
    void castToSupportedTypeFeedsAndReadsThroughAWiderType() throws Exception {
        try (ConformanceRunner r = new ConformanceRunner("cpu")) {
            // pretend the context cannot take float16 at the graph boundary
            r.limitsView(l -> {
                java.util.Set<MLOperandDataType> io = java.util.EnumSet.copyOf(l.input().dataType());
                io.remove(MLOperandDataType.FLOAT16);
                dev.anneau.webnn.MLTensorLimits t = new dev.anneau.webnn.MLTensorLimits(io, l.input().rankRange());
                return new dev.anneau.webnn.MLOpSupportLimits(l.preferredInputLayout(), l.maxTensorByteLength(), t, t, t, l.operators());
            });
            String json = relu("relu f16 cast", "[-1, 1.5, 65504]", "float16", "[3]", "[0, 1.5, 65504]", ULP0)
                    .replace("\"tolerance\"", "\"castToSupportedType\": true, \"tolerance\"");
            TestResult res = r.run(test(json));
            assertEquals(TestStatus.PASSED, res.status(), res.reason());
            assertTrue(res.notes().contains("castToSupportedType: input 'x' fed as float32 and cast to float16"), res.notes().toString());
            assertTrue(res.notes().contains("castToSupportedType: output 'y' read as float32 through cast"), res.notes().toString());
        }
    }

    @Test
    void widerTypesForCastToSupportedType() {
        assertEquals(MLOperandDataType.INT8, ConformanceRunner.widerTypes(MLOperandDataType.INT4).get(0));
        assertEquals(MLOperandDataType.UINT8, ConformanceRunner.widerTypes(MLOperandDataType.UINT4).get(0));
        assertEquals(MLOperandDataType.FLOAT32, ConformanceRunner.widerTypes(MLOperandDataType.FLOAT16).get(0));
        assertTrue(ConformanceRunner.widerTypes(MLOperandDataType.FLOAT32).isEmpty());
    }

    @Test
    void loaderReportsBadFilesAndSkipsUnderscoreFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.json"), "[" + relu("relu in a", "[1]", "float32", "[1]", "[1]", ULP0) + "]");
        Files.writeString(dir.resolve("b.json"), "{\"not\": \"an array\"}");
        Files.writeString(dir.resolve("c.json"), "[1, 2");
        Files.writeString(dir.resolve("_meta.json"), "garbage");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        WptSuite.Loaded l = WptSuite.load(dir);
        assertEquals(1, l.tests().size());
        assertEquals(dir.getFileName().toString(), l.tests().get(0).suite());
        assertEquals(2, l.errors().size());
        assertTrue(l.errors().get(0).message().startsWith("expected a JSON array"), l.errors().get(0).message());
        assertTrue(l.errors().get(1).message().startsWith("malformed JSON"), l.errors().get(1).message());
        assertTrue(l.errors().get(1).message().contains("line 1"), l.errors().get(1).message());
        assertEquals(0, l.filter(java.util.regex.Pattern.compile("^zzz")).tests().size());
        assertEquals(1, l.filter(java.util.regex.Pattern.compile("relu in")).tests().size());
        assertEquals(1, WptSuite.load(dir.resolve("missing.json")).errors().size());
    }

    @Test
    void summaryLineCountsEveryNonPassFailAsSkipped() {
        List<TestResult> rs = List.of(
                new TestResult("s", "f", "a", "cpu", TestStatus.PASSED, null, null, null, null, null, 0),
                new TestResult("s", "f", "b", "cpu", TestStatus.FAILED, null, null, null, "x", null, 0),
                new TestResult("s", "f", "c", "cpu", TestStatus.EXPECTED_UNSUPPORTED, null, null, null, "y", null, 0),
                new TestResult("s", "f", "d", "cpu", TestStatus.KNOWN_WRONG_EXPECTATION, null, null, null, "z", null, 0));
        assertEquals("conformance: 1 passed, 1 failed, 2 skipped", ConformanceReport.summaryLine(rs));
    }
}
