package dev.anneau.conformance;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts and the JSON report of a conformance run. */
public final class ConformanceReport {
    private ConformanceReport() {}

    /** passed / failed / skipped (every other status) counts. */
    public record Counts(int passed, int failed, int skipped) {
        public static Counts of(List<TestResult> results) {
            int p = 0, f = 0, s = 0;
            for (TestResult r : results) {
                switch (r.status()) {
                    case PASSED -> p++;
                    case FAILED -> f++;
                    default -> s++;
                }
            }
            return new Counts(p, f, s);
        }

        public int total() { return passed + failed + skipped; }
    }

    /** The closing line: {@code conformance: N passed, M failed, K skipped}. */
    public static String summaryLine(List<TestResult> results) {
        Counts c = Counts.of(results);
        return "conformance: " + c.passed() + " passed, " + c.failed() + " failed, " + c.skipped() + " skipped";
    }

    /** Counts per {@code suite/file}, in order of appearance. */
    public static Map<String, Counts> perFile(List<TestResult> results) {
        Map<String, List<TestResult>> byFile = new LinkedHashMap<>();
        for (TestResult r : results) byFile.computeIfAbsent(r.path(), k -> new java.util.ArrayList<>()).add(r);
        Map<String, Counts> out = new LinkedHashMap<>();
        byFile.forEach((k, v) -> out.put(k, Counts.of(v)));
        return out;
    }

    /**
     * The report as JSON: {@code summary} (counts, per status, per backend), {@code files} (counts per
     * file) and {@code results} (one entry per test: file, name, backend, status, metric, worstError,
     * tolerance, reason, notes, millis).
     */
    public static ObjectNode toJson(List<TestResult> results, Map<String, Object> meta) {
        ObjectNode root = WptSuite.JSON.createObjectNode();
        root.put("generatedAt", Instant.now().toString());
        if (meta != null) meta.forEach((k, v) -> root.set(k, WptSuite.JSON.valueToTree(v)));
        Counts c = Counts.of(results);
        ObjectNode summary = root.putObject("summary");
        summary.put("passed", c.passed()).put("failed", c.failed()).put("skipped", c.skipped()).put("total", c.total());
        summary.put("line", summaryLine(results));
        Map<String, Integer> byStatus = new TreeMap<>();
        for (TestResult r : results) byStatus.merge(r.status().id(), 1, Integer::sum);
        summary.set("byStatus", WptSuite.JSON.valueToTree(byStatus));
        Map<String, List<TestResult>> byBackend = new TreeMap<>();
        for (TestResult r : results) byBackend.computeIfAbsent(r.backend(), k -> new java.util.ArrayList<>()).add(r);
        ObjectNode backends = summary.putObject("byBackend");
        byBackend.forEach((b, rs) -> {
            Counts bc = Counts.of(rs);
            backends.putObject(b).put("passed", bc.passed()).put("failed", bc.failed()).put("skipped", bc.skipped());
        });
        ObjectNode files = root.putObject("files");
        perFile(results).forEach((f, fc) -> files.putObject(f).put("passed", fc.passed()).put("failed", fc.failed()).put("skipped", fc.skipped()));
        ArrayNode arr = root.putArray("results");
        for (TestResult r : results) {
            ObjectNode n = arr.addObject();
            n.put("suite", r.suite());
            n.put("file", r.file());
            n.put("name", r.name());
            n.put("backend", r.backend());
            n.put("status", r.status().id());
            if (r.metric() != null) n.put("metric", r.metric());
            if (r.worstError() != null) {
                if (Double.isFinite(r.worstError())) n.put("worstError", r.worstError());
                else n.put("worstError", String.valueOf(r.worstError()));
            }
            if (r.tolerance() != null) n.put("tolerance", r.tolerance());
            if (r.reason() != null) n.put("reason", r.reason());
            if (!r.notes().isEmpty()) n.set("notes", WptSuite.JSON.valueToTree(r.notes()));
            n.put("millis", r.millis());
        }
        return root;
    }

    /** Writes the JSON report (pretty-printed), creating parent folders. */
    public static void write(Path file, List<TestResult> results, Map<String, Object> meta) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        WptSuite.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson(results, meta));
    }
}
