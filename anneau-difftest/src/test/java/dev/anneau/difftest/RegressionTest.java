package dev.anneau.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.conformance.ConformanceRunner;
import dev.anneau.conformance.TestResult;
import dev.anneau.conformance.TestStatus;
import dev.anneau.conformance.WptSuite;
import dev.anneau.conformance.WptTest;
import dev.anneau.webnn.ML;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Disagreements the random graphs found, minimized to a few operators and kept as WPT-schema files
 * in {@code src/test/resources/dev/anneau/difftest/regressions/} (each test says its cause under
 * {@code difftest.cause}). The cpu backend must pass every one exactly as written (the expected data
 * are the float64 reference); the ort backend must pass each one it claims.
 */
class RegressionTest {
    static List<WptTest> tests() throws URISyntaxException {
        Path dir = Path.of(RegressionTest.class.getResource("regressions").toURI());
        WptSuite.Loaded loaded = WptSuite.load(dir);
        assertEquals(List.of(), loaded.errors());
        assertTrue(!loaded.tests().isEmpty());
        return loaded.tests();
    }

    @Test
    void cpuPassesTheRegressionFiles() throws URISyntaxException {
        check("cpu", false);
    }

    @Test
    void ortPassesTheRegressionFilesItClaims() throws URISyntaxException {
        Assumptions.assumeTrue(ML.backends().stream().anyMatch(b -> b.name().equals("ort") && b.availability().available()),
                "the ort backend is not available here");
        check("ort", true);
    }

    private static void check(String backend, boolean unsupportedOk) throws URISyntaxException {
        List<String> bad = new ArrayList<>();
        try (ConformanceRunner r = new ConformanceRunner(backend)) {
            for (WptTest t : tests()) {
                TestResult res = r.run(t);
                boolean ok = res.status() == TestStatus.PASSED || unsupportedOk && res.status() == TestStatus.UNSUPPORTED;
                if (!ok) {
                    bad.add(t.file() + " / " + t.name() + ": " + res.status() + ": " + DifferentialTest.abbreviate(res.reason(), 400));
                }
            }
        }
        if (!bad.isEmpty()) fail(backend + " fails " + bad.size() + " difftest regression(s):\n" + String.join("\n", bad));
    }
}
