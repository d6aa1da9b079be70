package dev.anneau.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.conformance.validation.KnownFailures;
import dev.anneau.conformance.validation.RecordingPatches;
import dev.anneau.conformance.validation.SubtestRunner;
import dev.anneau.conformance.validation.SubtestRunner.Outcome;
import dev.anneau.conformance.validation.ValidationSuite;
import dev.anneau.conformance.validation.ValidationSuite.FileRun;
import dev.anneau.conformance.validation.ValidationSuite.Subtest;
import dev.anneau.webnn.MLContextOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The WPT WebNN validation suite ({@code testdata/webnn-wpt/validation.json}, 918 subtests):
 * one dynamic test per subtest, grouped by file (and {@code ?op=} variant). Each subtest's
 * recorded calls are replayed by {@link SubtestRunner} on a fresh context; it passes iff every
 * call meets its expectation. Subtests in {@code validation-known-failures.tsv} are skipped with
 * their reason while they fail, and fail the run once they pass.
 *
 * <p>Runs on the cpu backend (the reference that supports the whole spec; the recording assumes
 * that), or on {@code -Dwpt.validation.backend=NAME}. {@code -Dwpt.filter=REGEX} keeps subtests
 * whose file or name matches. Prints
 * {@code validation: N passed, M failed} and writes failures to
 * {@code target/conformance-reports/validation-failures.txt}.
 */
class WptValidationTest {
    private static final long SUBTEST_TIMEOUT_S = 120;

    private static final Map<String, Outcome> OUTCOMES = new ConcurrentHashMap<>();
    private static final List<String> ORDER = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wpt-validation");
        t.setDaemon(true);
        return t;
    });
    private static volatile KnownFailures known;

    static Path testdata() {
        return Path.of(System.getProperty("anneau.testdata", "../testdata"));
    }

    static Path reportDir() {
        return Path.of(System.getProperty("anneau.reportDir", "target/conformance-reports"));
    }

    @TestFactory
    Stream<DynamicNode> validation() {
        ValidationSuite suite = ValidationSuite.load(testdata().resolve("webnn-wpt/validation.json"));
        RecordingPatches patches = RecordingPatches.load();
        known = KnownFailures.load();
        String filter = System.getProperty("wpt.filter");
        Pattern p = filter == null || filter.isBlank() ? null : Pattern.compile(filter);
        // the recorded expectations are those of an implementation of the whole spec: the cpu backend
        SubtestRunner runner = new SubtestRunner(MLContextOptions.defaults().withBackend(System.getProperty("wpt.validation.backend", "cpu")));

        List<DynamicNode> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (FileRun run : suite.runs()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Subtest t0 : run.tests()) {
                names.add(t0.name());
                if (p != null && !p.matcher(run.id()).find() && !p.matcher(t0.name()).find()) continue;
                Subtest t = patches.apply(t0);
                tests.add(DynamicTest.dynamicTest(t.name(), () -> runOne(run, t, runner)));
            }
            if (run.loadError() != null) {
                tests.add(DynamicTest.dynamicTest("(load error)", () -> fail(run.id() + " did not load in the recorder: " + run.loadError())));
            }
            if (!tests.isEmpty()) files.add(DynamicContainer.dynamicContainer(run.id(), tests));
        }
        if (p == null) {
            files.add(DynamicTest.dynamicTest("known-failures list names existing subtests", () -> {
                List<String> stale = known.all().keySet().stream().filter(n -> !names.contains(n)).toList();
                if (!stale.isEmpty()) fail("validation-known-failures.tsv lists subtests that do not exist: " + stale);
            }));
            files.add(DynamicTest.dynamicTest("recording patches name existing subtests", () -> {
                List<String> stale = patches.names().stream().filter(n -> !names.contains(n)).toList();
                if (!stale.isEmpty()) fail("validation-recording-patches.json patches subtests that do not exist: " + stale);
            }));
        }
        return files.stream();
    }

    private static void runOne(FileRun run, Subtest t, SubtestRunner runner) throws Exception {
        String id = run.id() + " :: " + t.name();
        Future<Outcome> f = WORKER.submit(() -> runner.run(t));
        Outcome o;
        try {
            o = f.get(SUBTEST_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            o = new Outcome(false, "did not finish within " + SUBTEST_TIMEOUT_S + " s (hang?)", false, false);
        } catch (java.util.concurrent.ExecutionException e) {
            o = new Outcome(false, "the runner crashed: " + e.getCause(), false, false);
        }
        OUTCOMES.put(id, o);
        ORDER.add(id);
        String reason = known.reason(t.name());
        if (reason != null) {
            if (KnownFailures.nondeterministic(reason)) {
                Assumptions.abort("known to be nondeterministic (" + reason + "); this run: "
                        + (o.passed() ? "passed" : o.reason()));
            }
            if (o.passed()) {
                fail("'" + t.name() + "' passes now: remove it from validation-known-failures.tsv (listed reason: " + reason + ")");
            }
            Assumptions.abort("known failure (" + reason + "): " + o.reason());
        }
        if (!o.passed()) fail(o.reason());
    }

    @AfterAll
    static void summary() throws IOException {
        if (ORDER.isEmpty()) return;
        int passed = 0, failed = 0, knownFailed = 0, vacuous = 0, notImplemented = 0;
        List<String> lines = new ArrayList<>();
        for (String id : ORDER) {
            Outcome o = OUTCOMES.get(id);
            if (o.passed()) {
                passed++;
                if (o.vacuous()) vacuous++;
                continue;
            }
            failed++;
            String name = id.substring(id.indexOf(" :: ") + 4);
            boolean isKnown = known != null && known.reason(name) != null;
            if (isKnown) knownFailed++;
            if (o.notImplemented()) notImplemented++;
            lines.add(id + "\t" + (isKnown ? "[known: " + known.reason(name) + "] " : "") + o.reason());
        }
        String summary = "validation: " + passed + " passed, " + failed + " failed"
                + " (" + knownFailed + " known, " + notImplemented + " not implemented yet; "
                + vacuous + " passed with no recorded call)";
        System.out.println(summary);
        Path dir = reportDir();
        Files.createDirectories(dir);
        List<String> out = new ArrayList<>();
        out.add("# " + summary);
        out.addAll(lines);
        Files.write(dir.resolve("validation-failures.txt"), out);
    }
}
