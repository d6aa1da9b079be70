package dev.anneau.cli;

import dev.anneau.conformance.ConformanceReport;
import dev.anneau.conformance.ConformanceRunner;
import dev.anneau.conformance.Quirks;
import dev.anneau.conformance.TestResult;
import dev.anneau.conformance.TestStatus;
import dev.anneau.conformance.WptSuite;
import dev.anneau.conformance.WptTest;
import dev.anneau.onnx.OnnxNodeSuite;
import dev.anneau.webnn.ML;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code anneau conformance}: runs WPT graph tests (JSON) and prints a per-file summary and the closing count line. */
@Command(name = "conformance",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        description = {
            "Runs WebNN WPT graph tests or ONNX backend tests on one backend.",
            "",
            "WPT tests are JSON (schema: testdata/webnn-wpt/SUITE-README.md). Each PATH",
            "is a .json file holding an array of tests, or a folder of them (files",
            "whose name starts with '_' are skipped). Outputs are compared with the WPT",
            "tolerances (ULP or absolute error). Prints one line per file, then",
            "'conformance: N passed, M failed, K skipped'. Skipped tests are known",
            "quirks of the suite: a feature the spec removed (must throw TypeError), or",
            "expected data known to be wrong.",
            "",
            "ONNX backend tests (the ONNX project's onnx/backend/test/data layout): a",
            "PATH that is a folder holding model.onnx and test_data_set_*, or a parent",
            "of such folders (up to 4 levels down), runs them through the ONNX importer",
            "and compares as the ONNX runner does (rtol 1e-3, atol 1e-7; integers",
            "exactly). Prints one line per suite folder (node, simple, ...), then",
            "'onnx-node: N passed, M failed, K unsupported'; unsupported = the importer",
            "or the backend lacks an operator, attribute or data type (all are listed).",
            "",
            "Use -v or --report to see every reason.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau conformance                 the whole suite of this checkout",
            "  anneau conformance testdata/webnn-wpt/conformance",
            "  anneau conformance -v -f 'conv2d|pooling' testdata/webnn-wpt/conformance",
            "  anneau conformance -b cpu -r target/wpt.json \\",
            "                     testdata/webnn-wpt/conformance/relu.json",
            "  anneau conformance -b ort -r onnx-ort.md testdata/onnx-node",
            "  anneau conformance -v testdata/onnx-node/node/test_conv_with_strides_padding",
            "",
            "--report: FILE.md gets a Markdown table, any other name JSON. When both",
            "kinds of test run, the ONNX report goes to FILE with '.onnx-node' before",
            "its extension.",
            "",
            "Exit codes: 0 no test failed; 1 some test failed (a file that is not a",
            "test file counts as a failed test); 2 usage error, unknown or unavailable",
            "backend, missing path, or a report that cannot be written."
        })
final class ConformanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-b", "--backend"}, paramLabel = "NAME",
            description = "Backend to run on (see 'anneau info'). Default: the automatic choice.")
    String backend;

    @Option(names = {"-r", "--report"}, paramLabel = "FILE",
            description = "Write a report: every test with status and reason (WPT: JSON with the worst error; ONNX: JSON, or Markdown for FILE.md).")
    Path report;

    @Option(names = {"-f", "--filter"}, paramLabel = "REGEX",
            description = "Only tests whose file name or test name contains a match of REGEX (Java syntax), e.g. '^relu' or 'float16'; "
                    + "ONNX tests by their name 'node/test_relu'.")
    String filter;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "30",
            description = "Per-test time limit; a test that takes longer fails (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "List every failed or skipped test with its reason under its file.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print only the closing line (and errors).")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "WPT JSON test files or folders, or ONNX backend test folders (or their parents). Default: the WPT suite in this "
                    + "checkout, testdata/webnn-wpt/conformance and testdata/webnn-wpt/conformance-2025-12.")
    List<Path> paths;

    /** The suite folders of a checkout ({@code -Danneau.home}, set by the launcher, else the current folder). */
    static List<Path> defaultPaths() {
        Path base = Path.of(System.getProperty("anneau.home", ".")).resolve("testdata/webnn-wpt");
        List<Path> out = new ArrayList<>();
        for (String d : List.of("conformance", "conformance-2025-12")) {
            if (Files.isDirectory(base.resolve(d))) out.add(base.resolve(d));
        }
        return out;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (paths == null || paths.isEmpty()) {
            paths = defaultPaths();
            if (paths.isEmpty()) {
                err.println("anneau conformance: no PATH given, and no suite under "
                        + Path.of(System.getProperty("anneau.home", ".")).toAbsolutePath().normalize().resolve("testdata/webnn-wpt")
                        + "; name a WPT .json file or folder (see 'anneau help conformance')");
                return 2;
            }
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("anneau conformance: no such file or folder: " + p);
                return 2;
            }
        }
        Pattern regex = null;
        if (filter != null && !filter.isBlank()) {
            try {
                regex = Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                err.println("anneau conformance: --filter is not a valid regular expression: " + e.getDescription() + " in '" + filter + "'");
                return 2;
            }
        }
        if (timeoutSeconds <= 0) {
            err.println("anneau conformance: --timeout must be positive, got " + timeoutSeconds);
            return 2;
        }
        if (backend != null) {
            String want = backend.trim().toLowerCase(Locale.ROOT);
            ML.BackendInfo found = ML.backends().stream().filter(b -> b.name().equals(want)).findFirst().orElse(null);
            if (found == null) {
                err.println("anneau conformance: unknown backend '" + backend + "'; known: "
                        + ML.backends().stream().map(ML.BackendInfo::name).toList() + " (see 'anneau info')");
                return 2;
            }
            if (!found.availability().available()) {
                err.println("anneau conformance: backend '" + want + "' is not available here: " + found.availability().detail());
                return 2;
            }
            backend = want;
        }

        List<Path> onnxTests = new ArrayList<>();
        List<Path> wptPaths = new ArrayList<>();
        for (Path p : paths) {
            List<Path> found = Files.isDirectory(p) ? OnnxNodeSuite.findTests(List.of(p)) : List.of();
            if (found.isEmpty()) wptPaths.add(p);
            else onnxTests.addAll(found);
        }
        boolean both = !onnxTests.isEmpty() && !wptPaths.isEmpty();
        Integer wptExit = wptPaths.isEmpty() ? Integer.valueOf(0) : runWpt(wptPaths, regex, out, err);
        if (wptExit == 2) return 2;
        if (onnxTests.isEmpty()) return wptExit;
        Path onnxReport = report == null ? null : both ? OnnxSuiteRun.siblingReport(report) : report;
        OnnxSuiteRun onnx = new OnnxSuiteRun(backend, Duration.ofSeconds(timeoutSeconds), verbose, quiet, out, err);
        int onnxExit = onnx.run(onnxTests, regex, filter, onnxReport);
        if (onnxExit == 2) return 2;
        return Math.max(wptExit, onnxExit);
    }

    private int runWpt(List<Path> paths, Pattern regex, PrintWriter out, PrintWriter err) {
        WptSuite.Loaded loaded = WptSuite.load(paths).filter(regex);
        List<TestResult> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ConformanceRunner runner = new ConformanceRunner(backend, Duration.ofSeconds(timeoutSeconds), Quirks.builtIn())) {
            String used = runner.backendName();
            if (!quiet) {
                out.println("backend " + used + ": " + loaded.tests().size() + " tests"
                        + (regex == null ? "" : " matching /" + filter + "/") + " from " + paths.size() + " path" + (paths.size() == 1 ? "" : "s"));
                out.flush();
            }
            for (WptSuite.LoadError e : loaded.errors()) {
                TestResult r = ConformanceRunner.loadFailure(e, used);
                results.add(r);
                if (!quiet) out.println("  " + e.path() + ": FAILED to load: " + e.message());
            }
            // group by file, keeping order, and print a line per file when it is done
            Map<String, List<WptTest>> byFile = new LinkedHashMap<>();
            for (WptTest t : loaded.tests()) byFile.computeIfAbsent(t.path(), k -> new ArrayList<>()).add(t);
            int width = byFile.keySet().stream().mapToInt(String::length).max().orElse(10);
            for (var e : byFile.entrySet()) {
                long f0 = System.nanoTime();
                List<TestResult> rs = runner.runAll(e.getValue(), null);
                results.addAll(rs);
                if (!quiet) {
                    ConformanceReport.Counts c = ConformanceReport.Counts.of(rs);
                    out.printf(Locale.ROOT, "  %-" + width + "s %4d passed %4d failed %4d skipped  (%.1f s)%n", e.getKey(), c.passed(),
                            c.failed(), c.skipped(), (System.nanoTime() - f0) / 1e9);
                    if (verbose) {
                        for (TestResult r : rs) {
                            if (r.status() == TestStatus.PASSED) continue;
                            out.println("      " + r.status().id().toUpperCase(Locale.ROOT) + "  " + r.name());
                            out.println("          " + r.reason());
                        }
                    }
                    out.flush();
                }
            }
        }
        if (report != null) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("paths", paths.stream().map(Path::toString).toList());
            meta.put("filter", filter == null ? "" : filter);
            meta.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
            try {
                ConformanceReport.write(report, results, meta);
                if (!quiet) out.println("report: " + report.toAbsolutePath());
            } catch (IOException e) {
                err.println("anneau conformance: cannot write the report " + report + ": " + e.getMessage());
                out.println(ConformanceReport.summaryLine(results));
                out.flush();
                return 2;
            }
        }
        out.println(ConformanceReport.summaryLine(results));
        out.flush();
        return ConformanceReport.Counts.of(results).failed() == 0 ? 0 : 1;
    }
}
