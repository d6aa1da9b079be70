package dev.anneau.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.onnx.OnnxNodeSuite;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The ONNX backend-test half of {@code anneau conformance}: runs test folders through the
 * importer ({@link OnnxNodeSuite#runTest}) on one backend, each on a worker thread with a time
 * limit (a test that takes longer fails, and the context is replaced), printing a line per suite
 * folder and the closing {@code onnx-node: ...} line.
 */
final class OnnxSuiteRun {
    private final String backend;
    private final Duration timeout;
    private final boolean verbose;
    private final boolean quiet;
    private final PrintWriter out;
    private final PrintWriter err;

    private MLContext context;
    private ExecutorService worker;

    OnnxSuiteRun(String backend, Duration timeout, boolean verbose, boolean quiet, PrintWriter out, PrintWriter err) {
        this.backend = backend;
        this.timeout = timeout;
        this.verbose = verbose;
        this.quiet = quiet;
        this.out = out;
        this.err = err;
    }

    /** {@code report.json} becomes {@code report.onnx-node.json} (the WPT report keeps the name). */
    static Path siblingReport(Path report) {
        String n = report.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String sibling = dot > 0 ? n.substring(0, dot) + ".onnx-node" + n.substring(dot) : n + ".onnx-node";
        return report.resolveSibling(sibling);
    }

    /** Runs the tests; returns the exit code (0 none failed, 1 some failed, 2 a report or context problem). */
    int run(List<Path> allTests, Pattern regex, String filter, Path report) {
        List<Path> tests = regex == null ? allTests
                : allTests.stream().filter(t -> regex.matcher(OnnxNodeSuite.nameOf(t)).find()).toList();
        try {
            context = newContext();
        } catch (RuntimeException e) {
            err.println("anneau conformance: cannot create a context: " + e.getMessage());
            return 2;
        }
        String used = context.backendName();
        if (!quiet) {
            out.println("backend " + used + ": " + tests.size() + " ONNX tests" + (regex == null ? "" : " matching /" + filter + "/"));
            out.flush();
        }
        long t0 = System.nanoTime();
        List<OnnxNodeSuite.Result> results = new ArrayList<>();
        Map<String, List<Path>> bySuite = new LinkedHashMap<>();
        for (Path t : tests) {
            Path parent = t.getParent();
            String suite = parent != null && parent.getFileName() != null ? parent.getFileName().toString() : ".";
            bySuite.computeIfAbsent(suite, k -> new ArrayList<>()).add(t);
        }
        int width = bySuite.keySet().stream().mapToInt(String::length).max().orElse(4);
        try {
            for (var e : bySuite.entrySet()) {
                long s0 = System.nanoTime();
                List<OnnxNodeSuite.Result> rs = new ArrayList<>();
                for (Path t : e.getValue()) rs.add(runOne(t));
                results.addAll(rs);
                if (!quiet) {
                    OnnxNodeSuite.Summary s = new OnnxNodeSuite.Summary(used, rs);
                    out.printf(Locale.ROOT, "  %-" + width + "s %4d passed %4d failed %4d unsupported  (%.1f s)%n", e.getKey(), s.passed(),
                            s.failed(), s.unsupported(), (System.nanoTime() - s0) / 1e9);
                    if (verbose) {
                        for (OnnxNodeSuite.Result r : rs) {
                            if (r.status() == OnnxNodeSuite.Status.PASSED) continue;
                            out.println("      " + r.status().name() + "  " + r.name());
                            for (String line : String.valueOf(r.detail()).split("\\R")) out.println("          " + line);
                        }
                    }
                    out.flush();
                }
            }
        } finally {
            close();
        }
        OnnxNodeSuite.Summary summary = new OnnxNodeSuite.Summary(used, results);
        if (report != null) {
            try {
                write(report, summary, (System.nanoTime() - t0) / 1e9);
                if (!quiet) out.println("report: " + report.toAbsolutePath());
            } catch (IOException | UncheckedIOException e) {
                err.println("anneau conformance: cannot write the report " + report + ": " + e.getMessage());
                out.println(summary.line());
                out.flush();
                return 2;
            }
        }
        out.println(summary.line());
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }

    private MLContext newContext() {
        return ML.createContextNow(backend == null ? MLContextOptions.defaults() : new MLContextOptions().withBackend(backend));
    }

    private OnnxNodeSuite.Result runOne(Path test) {
        String name = OnnxNodeSuite.nameOf(test);
        if (context == null) {
            try {
                context = newContext();
            } catch (RuntimeException e) {
                return new OnnxNodeSuite.Result(name, OnnxNodeSuite.Status.FAILED, "no context: " + e.getMessage(), 0);
            }
        }
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "anneau-onnx-test-worker");
                t.setDaemon(true);
                return t;
            });
        }
        MLContext ctx = context;
        long t0 = System.nanoTime();
        Future<OnnxNodeSuite.Result> f = worker.submit(() -> OnnxNodeSuite.runTest(ctx, test));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the worker may be stuck in a kernel: abandon it and the context it uses
            f.cancel(true);
            worker.shutdownNow();
            worker = null;
            dropContext();
            return new OnnxNodeSuite.Result(name, OnnxNodeSuite.Status.FAILED, "timed out after " + timeout.toSeconds() + " s",
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return new OnnxNodeSuite.Result(name, OnnxNodeSuite.Status.FAILED, "interrupted", (System.nanoTime() - t0) / 1_000_000);
        } catch (ExecutionException e) {
            return new OnnxNodeSuite.Result(name, OnnxNodeSuite.Status.FAILED, String.valueOf(e.getCause()), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            if (context != null && context.isDestroyed()) context = null;
        }
    }

    private void dropContext() {
        MLContext c = context;
        context = null;
        if (c != null) {
            try {
                c.destroy();
            } catch (RuntimeException ignored) {
                // already lost
            }
        }
    }

    private void close() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
        dropContext();
    }

    /** FILE.md: the suite's Markdown table; otherwise JSON with the counts and every test. */
    static void write(Path report, OnnxNodeSuite.Summary summary, double seconds) throws IOException {
        if (report.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
            summary.writeReport(report);
            return;
        }
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("suite", "onnx-node");
        root.put("backend", summary.backend());
        root.put("seconds", Math.round(seconds * 100) / 100.0);
        ObjectNode counts = root.putObject("summary");
        counts.put("passed", summary.passed());
        counts.put("failed", summary.failed());
        counts.put("unsupported", summary.unsupported());
        root.put("line", summary.line());
        ArrayNode arr = root.putArray("results");
        for (OnnxNodeSuite.Result r : summary.results()) {
            ObjectNode n = arr.addObject();
            n.put("name", r.name());
            n.put("status", r.status().name().toLowerCase(Locale.ROOT));
            n.put("millis", r.millis());
            if (r.detail() != null) n.put("reason", r.detail());
        }
        if (report.getParent() != null) Files.createDirectories(report.getParent());
        m.writeValue(report.toFile(), root);
    }
}
