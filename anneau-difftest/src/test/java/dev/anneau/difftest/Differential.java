package dev.anneau.difftest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.conformance.ConformanceRunner;
import dev.anneau.conformance.Quirks;
import dev.anneau.conformance.TestResult;
import dev.anneau.conformance.TestStatus;
import dev.anneau.conformance.WptTest;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLOperandDataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs generated graphs on a reference backend (its outputs become the expected data) and on the
 * backend under test through {@link ConformanceRunner}, the code path {@code anneau conformance}
 * uses, with the WPT comparison rules. A graph both backends must agree on is judged exactly as its
 * saved JSON file is when replayed.
 */
final class Differential implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    enum Kind {
        /** Both backends agree within the tolerance. */
        AGREE,
        /** Nothing the backends both claim could be generated. */
        EMPTY,
        /** The reference backend threw on a graph the generator thinks valid (a generator or reference bug). */
        REFERENCE_FAILED,
        /** The backend under test refused (NotSupportedError) a graph made only of what it claims. */
        REFUSED,
        /** The backend under test threw while building or running. */
        ERROR,
        /** The outputs differ beyond the tolerance. */
        DISAGREE
    }

    /** One graph's outcome; {@code test} is the WPT-schema test (null when nothing was generated). */
    record Outcome(Kind kind, long graphSeed, GraphGenerator.Generated graph, ObjectNode test, TestResult result, String detail) {
        boolean failed() { return kind != Kind.AGREE && kind != Kind.EMPTY; }
    }

    private final String referenceName;
    private final String underTestName;
    private MLContext reference;
    private final ConformanceRunner underTest;
    private final Caps caps;

    Differential(String referenceBackend, String underTestBackend) {
        this.referenceName = referenceBackend;
        this.underTestName = underTestBackend;
        this.reference = ML.createContextNow(new MLContextOptions().withBackend(referenceBackend));
        this.underTest = new ConformanceRunner(underTestBackend, Duration.ofSeconds(60), Quirks.builtIn());
        if (underTest.opSupportLimits() == null) {
            throw new IllegalStateException("no context on backend " + underTestBackend);
        }
        this.caps = new Caps(underTest.opSupportLimits(), reference.opSupportLimits());
    }

    private Path saveBeforeRun;

    Caps caps() { return caps; }

    /** Writes every test to {@code dir} before the backend under test runs it (a native crash then still leaves the file). */
    void saveBeforeRun(Path dir) { this.saveBeforeRun = dir; }

    String underTestName() { return underTestName; }

    Outcome check(long graphSeed, int maxOps, String label) {
        GraphGenerator.Generated g = new GraphGenerator(caps, graphSeed).generate(maxOps);
        if (g == null) return new Outcome(Kind.EMPTY, graphSeed, null, null, null, "nothing to generate");
        ObjectNode test = GraphGenerator.JSON.objectNode();
        test.put("name", label + " graphSeed=" + graphSeed + ": " + String.join(" -> ", g.operators()));
        test.set("graph", g.graph());
        ObjectNode tol = test.putObject("tolerance");
        tol.put("metricType", g.tolerance().metric());
        tol.put("value", g.tolerance().value());
        ObjectNode info = test.putObject("difftest");
        info.put("graphSeed", graphSeed);
        info.put("reference", referenceName);
        info.put("underTest", underTestName);
        info.put("replay", "anneau conformance --backend " + underTestName + " FILE; regenerate with -Ddifftest.graphSeed=" + graphSeed);
        Map<String, ByteBuffer> ref;
        try {
            if (reference.isDestroyed()) reference = ML.createContextNow(new MLContextOptions().withBackend(referenceName));
            ref = ReferenceExecutor.run(reference, g.graph());
        } catch (RuntimeException e) {
            return new Outcome(Kind.REFERENCE_FAILED, graphSeed, g, test, null, referenceName + " threw " + e);
        }
        ObjectNode expected = (ObjectNode) g.graph().get("expectedOutputs");
        for (var e : ref.entrySet()) {
            ObjectNode o = (ObjectNode) expected.get(e.getKey());
            var d = ReferenceExecutor.descriptor(o.get("descriptor"));
            MLOperandDataType t = d.dataType();
            ArrayNode data = ReferenceExecutor.encode(t, e.getValue(), (int) ReferenceExecutor.elements(d));
            o.set("data", data);
        }
        WptTest wpt = new WptTest("difftest", "difftest-" + graphSeed + ".json", 0, test.get("name").textValue(), g.graph(),
                g.tolerance(), false, null);
        if (saveBeforeRun != null) save(new Outcome(Kind.AGREE, graphSeed, g, test, null, null), saveBeforeRun);
        TestResult r = underTest.run(wpt);
        info.put("result", r.status() + (r.reason() == null ? "" : ": " + r.reason()));
        Kind kind;
        if (r.status() == TestStatus.PASSED) kind = Kind.AGREE;
        else if (r.status() == TestStatus.UNSUPPORTED) kind = Kind.REFUSED;
        else if (r.worstError() == null) kind = Kind.ERROR;
        else kind = Kind.DISAGREE;
        return new Outcome(kind, graphSeed, g, test, r, r.reason());
    }

    /** Writes the test as a one-test WPT JSON file; returns its path. */
    static Path save(Outcome o, Path dir) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("difftest-" + Long.toUnsignedString(o.graphSeed()) + ".json");
            ArrayNode arr = GraphGenerator.JSON.arrayNode();
            arr.add(o.test());
            MAPPER.writeValue(f.toFile(), arr);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        underTest.close();
        if (!reference.isDestroyed()) reference.destroy();
    }
}
