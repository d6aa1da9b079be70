package dev.anneau.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnneauCliTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Anneau());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final String RELU_TEST = """
            [{"name": "relu tiny",
              "graph": {
                "inputs": {"x": {"data": [-1.5, 0, 2.25, "-0"], "descriptor": {"shape": [2, 2], "dataType": "float32"}}},
                "operators": [{"name": "relu", "arguments": [{"input": "x"}], "outputs": "y"}],
                "expectedOutputs": {"y": {"data": [0, 0, 2.25, 0], "descriptor": {"shape": [2, 2], "dataType": "float32"}}}},
              "tolerance": {"metricType": "ULP", "value": 0}}]
            """;

    static final String UNKNOWN_OPERATOR_TEST = """
            [{"name": "frobnicate tiny",
              "graph": {
                "inputs": {"x": {"data": [1, 2], "descriptor": {"shape": [2], "dataType": "float32"}}},
                "operators": [{"name": "frobnicate", "arguments": [{"input": "x"}], "outputs": "y"}],
                "expectedOutputs": {"y": {"data": [1, 2], "descriptor": {"shape": [2], "dataType": "float32"}}}},
              "tolerance": {"metricType": "ULP", "value": 0}}]
            """;

    @Test
    void conformanceCountsPassedFailedAndMalformedFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("relu.json"), RELU_TEST);
        Files.writeString(dir.resolve("broken.json"), "[{\"name\": \"oops\", ");
        Files.writeString(dir.resolve("unknown.json"), UNKNOWN_OPERATOR_TEST);
        Files.writeString(dir.resolve("_summary.json"), "not even json"); // metadata files are skipped
        Path report = dir.resolve("out/report.json");

        Run r = run("conformance", "--report", report.toString(), dir.toString());

        assertEquals(1, r.exit(), r.out() + r.err());
        String[] lines = r.out().strip().split("\\R");
        assertEquals("conformance: 1 passed, 2 failed, 0 skipped", lines[lines.length - 1]);
        assertTrue(r.out().contains("broken.json: FAILED to load: malformed JSON"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(1, json.path("summary").path("passed").asInt());
        assertEquals(2, json.path("summary").path("failed").asInt());
        boolean sawUnknown = false;
        for (JsonNode t : json.path("results")) {
            if (t.path("name").asText().equals("frobnicate tiny")) {
                sawUnknown = true;
                assertEquals("failed", t.path("status").asText());
                assertTrue(t.path("reason").asText().contains("unknown operator 'frobnicate'"), t.toString());
            }
            if (t.path("name").asText().equals("relu tiny")) {
                assertEquals("passed", t.path("status").asText());
                assertEquals(0.0, t.path("worstError").asDouble());
            }
        }
        assertTrue(sawUnknown);
    }

    @Test
    void conformanceExitsZeroWhenNothingFailsAndHonoursTheFilter(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("relu.json"), RELU_TEST);
        Files.writeString(dir.resolve("unknown.json"), UNKNOWN_OPERATOR_TEST);
        Run r = run("conformance", "--filter", "^relu", "-q", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("conformance: 1 passed, 0 failed, 0 skipped", r.out().strip());
    }

    @Test
    void usageAndIoErrorsExitTwo(@TempDir Path dir) throws Exception {
        assertEquals(2, run("conformance", dir.resolve("missing.json").toString()).exit());
        String home = System.getProperty("anneau.home");
        System.setProperty("anneau.home", dir.toString()); // no testdata there: no default suite
        try {
            Run none = run("conformance");
            assertEquals(2, none.exit());
            assertTrue(none.err().contains("no PATH given"), none.err());
        } finally {
            if (home == null) System.clearProperty("anneau.home");
            else System.setProperty("anneau.home", home);
        }
        assertEquals(2, run("conformance", "--filter", "(", dir.toString()).exit());
        Run unknown = run("conformance", "--backend", "nosuch", dir.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown backend 'nosuch'"), unknown.err());
        assertEquals(2, run("--no-such-option").exit());
        assertEquals(2, run().exit());
    }

    @Test
    void infoListsTheCpuBackendAndItsLimits() throws Exception {
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("default backend: cpu"), r.out());
        assertTrue(r.out().matches("(?s).*\\bcpu\\s+priority\\s+\\d+\\s+available.*"), r.out());
        assertTrue(r.out().contains("operators:"), r.out());

        Run j = run("info", "--json");
        assertEquals(0, j.exit(), j.err());
        JsonNode json = new ObjectMapper().readTree(j.out());
        assertEquals("cpu", json.path("default").asText());
        JsonNode cpu = json.path("backends").get(0);
        assertEquals("cpu", cpu.path("name").asText());
        assertTrue(cpu.path("available").asBoolean());
        assertTrue(cpu.path("limits").path("operatorCount").asInt() >= 1);
        assertTrue(cpu.path("limits").path("operators").toString().contains("relu"));
    }

    @Test
    void helpTeachesWithExamples() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("conformance"), r.out());
        Run c = run("help", "conformance");
        assertTrue(c.out().contains("--filter"), c.out());
    }
}
