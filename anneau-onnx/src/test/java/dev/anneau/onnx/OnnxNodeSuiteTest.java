package dev.anneau.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the ONNX backend tests of {@code testdata/onnx-node} through the importer on every
 * available backend, printing {@code onnx-node: N passed, M failed, K unsupported} per backend
 * and writing a report ({@code target/onnx-node-reports/BACKEND.md}).
 * {@code -Donnx.filter=REGEX} keeps the tests whose name matches; {@code -Donnx.backends=cpu,ort}
 * picks backends; {@code -Donnx.root=DIR} runs another copy of the test data (e.g. the full suite).
 */
class OnnxNodeSuiteTest {
    /** The WebNN candidates at opset <= 21 the CPU backend must pass at least (ONNX Runtime passes 590). */
    static final int CPU_MIN_CANDIDATES_PASSED = 626;

    @Test
    void onnxNodeTests() throws Exception {
        String override = System.getProperty("onnx.root");
        Path root = override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("anneau.testdata", "../testdata")).resolve("onnx-node");
        assertTrue(Files.isDirectory(root), "missing " + root);
        List<Path> tests = OnnxNodeSuite.findTests(List.of(root));
        String filter = System.getProperty("onnx.filter");
        if (filter != null && !filter.isBlank()) {
            Pattern p = Pattern.compile(filter);
            tests = tests.stream().filter(t -> p.matcher(OnnxNodeSuite.nameOf(t)).find()).toList();
        }
        Set<String> found = candidates(root.resolve("webnn_candidates.txt"));
        if (found.isEmpty() && root.getParent() != null) found = candidates(root.getParent().resolve("webnn_candidates.txt"));
        Set<String> candidates = found;
        Path reports = Path.of(System.getProperty("anneau.reportDir", "target/onnx-node-reports"));
        String only = System.getProperty("onnx.backends", "");
        List<String> failures = new ArrayList<>();
        for (ML.BackendInfo info : ML.backends()) {
            if (!info.availability().available()) {
                System.out.println("onnx-node: backend " + info.name() + " skipped: " + info.availability().detail());
                continue;
            }
            if (!only.isBlank() && !Set.of(only.split(",")).contains(info.name())) continue;
            MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend(info.name()));
            try {
                OnnxNodeSuite.Summary s = OnnxNodeSuite.run(ctx, tests, null);
                long candPassed = s.results().stream()
                        .filter(r -> r.status() == OnnxNodeSuite.Status.PASSED && candidates.contains(r.name())).count();
                long candTotal = s.results().stream().filter(r -> candidates.contains(r.name())).count();
                System.out.println("[" + info.name() + "] " + s.line() + " (WebNN candidates at opset <= 21: " + candPassed
                        + " of " + candTotal + " passed)");
                s.writeReport(reports.resolve(info.name() + ".md"));
                if (info.name().equals("cpu") && (filter == null || filter.isBlank()) && override == null && candPassed < CPU_MIN_CANDIDATES_PASSED) {
                    failures.add("cpu passed " + candPassed + " candidates, expected at least " + CPU_MIN_CANDIDATES_PASSED);
                }
            } finally {
                ctx.destroy();
            }
        }
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }

    static Set<String> candidates(Path file) throws Exception {
        Set<String> s = new java.util.HashSet<>();
        if (!Files.exists(file)) return s;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            if (f.length > 1 && Integer.parseInt(f[1].trim()) <= 21) s.add(f[0].trim());
        }
        return s;
    }
}
