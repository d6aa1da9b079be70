package dev.anneau.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.webnn.ML;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The WPT WebNN graph conformance suite (testdata/webnn-wpt/conformance and conformance-2025-12),
 * one dynamic test per (available backend, file, test).
 *
 * <p>{@code -Dwpt.filter=REGEX} keeps the tests whose file name or test name matches (find);
 * {@code -Dwpt.backend=NAME} runs one backend. Quirk tests (expected-unsupported,
 * known-wrong-expectation) are reported as skipped with their reason. At the end the closing line
 * {@code conformance: N passed, M failed, K skipped} is printed and the JSON report is written to
 * {@code ${anneau.reportDir}/wpt-conformance.json}.
 */
class WptConformanceTest {
    private static final List<TestResult> RESULTS = Collections.synchronizedList(new ArrayList<>());
    private static final List<ConformanceRunner> RUNNERS = new ArrayList<>();

    static Path testdata() {
        return Path.of(System.getProperty("anneau.testdata", "../testdata")).resolve("webnn-wpt");
    }

    @TestFactory
    Stream<DynamicNode> wpt() {
        Path root = testdata();
        List<Path> dirs = new ArrayList<>();
        for (String d : List.of("conformance", "conformance-2025-12")) {
            if (Files.isDirectory(root.resolve(d))) dirs.add(root.resolve(d));
        }
        if (dirs.isEmpty()) fail("no WPT test data under " + root.toAbsolutePath() + " (set -Danneau.testdata)");
        String filter = System.getProperty("wpt.filter", "");
        Pattern regex = filter.isBlank() ? null : Pattern.compile(filter);
        WptSuite.Loaded loaded = WptSuite.load(dirs).filter(regex);

        String only = System.getProperty("wpt.backend", "");
        List<String> backends = new ArrayList<>();
        for (ML.BackendInfo b : ML.backends()) {
            if (!only.isBlank() && !b.name().equals(only.trim())) continue;
            if (b.availability().available()) backends.add(b.name());
        }
        if (backends.isEmpty()) fail("no available backend" + (only.isBlank() ? "" : " named '" + only + "'") + "; found " + ML.backends());

        List<DynamicNode> perBackend = new ArrayList<>();
        for (String backend : backends) {
            ConformanceRunner runner = new ConformanceRunner(backend);
            RUNNERS.add(runner);
            List<DynamicNode> files = new ArrayList<>();
            for (WptSuite.LoadError e : loaded.errors()) {
                files.add(DynamicTest.dynamicTest(e.path() + " (load error)", () -> {
                    RESULTS.add(ConformanceRunner.loadFailure(e, backend));
                    fail(e.path() + ": " + e.message());
                }));
            }
            Map<String, List<WptTest>> byFile = new LinkedHashMap<>();
            for (WptTest t : loaded.tests()) {
                // suite/file: the supplement repeats the main set's file names
                byFile.computeIfAbsent(t.path(), k -> new ArrayList<>()).add(t);
            }
            byFile.forEach((file, tests) -> files.add(DynamicContainer.dynamicContainer(file,
                    tests.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> check(runner, t))))));
            perBackend.add(DynamicContainer.dynamicContainer(backend, files));
        }
        return perBackend.stream();
    }

    private static void check(ConformanceRunner runner, WptTest t) {
        TestResult r = runner.run(t);
        RESULTS.add(r);
        switch (r.status()) {
            case PASSED -> { }
            case FAILED -> fail(r.reason());
            // the pure-Java backend is the reference: it claims every operator and data type of the spec
            case UNSUPPORTED -> {
                if (r.backend().equals("cpu")) fail("the cpu backend must support everything the spec allows: " + r.reason());
                Assumptions.abort(r.status().id() + ": " + r.reason());
            }
            default -> Assumptions.abort(r.status().id() + ": " + r.reason());
        }
    }

    @AfterAll
    static void report() throws Exception {
        for (ConformanceRunner r : RUNNERS) r.close();
        RUNNERS.clear();
        List<TestResult> results;
        synchronized (RESULTS) {
            results = List.copyOf(RESULTS);
        }
        if (results.isEmpty()) {
            System.out.println("no WPT test matched" + (System.getProperty("wpt.filter", "").isBlank() ? "" : " -Dwpt.filter=" + System.getProperty("wpt.filter")));
            System.out.println(ConformanceReport.summaryLine(results));
            return;
        }
        String dir = System.getProperty("anneau.reportDir", "target/conformance-reports");
        Path out = Path.of(dir, "wpt-conformance.json");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("suite", "webnn-wpt (conformance, conformance-2025-12)");
        meta.put("filter", System.getProperty("wpt.filter", ""));
        ConformanceReport.write(out, results, meta);
        System.out.println("WPT report: " + out.toAbsolutePath());
        Map<String, List<TestResult>> byBackend = new LinkedHashMap<>();
        for (TestResult r : results) byBackend.computeIfAbsent(r.backend(), k -> new ArrayList<>()).add(r);
        byBackend.forEach((b, rs) -> {
            Map<TestStatus, Integer> n = new java.util.EnumMap<>(TestStatus.class);
            for (TestResult r : rs) n.merge(r.status(), 1, Integer::sum);
            System.out.println("  backend " + b + ": " + ConformanceReport.summaryLine(rs).substring("conformance: ".length())
                    + " " + n);
        });
        System.out.println(ConformanceReport.summaryLine(results));
    }
}
