package dev.anneau.difftest;

import static org.junit.jupiter.api.Assertions.fail;

import dev.anneau.webnn.ML;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Random valid WebNN graphs on the cpu backend (reference) and the ONNX Runtime backend must agree
 * within the WPT tolerances.
 *
 * <p>{@code -Ddifftest.graphs=N} (default 300) graphs from {@code -Ddifftest.seed=S}; each graph has its
 * own seed, printed with any failure; {@code -Ddifftest.graphSeed=G} regenerates just that graph.
 * {@code -Ddifftest.maxOps} (default 8) bounds the operators per graph. Every disagreement is saved to
 * {@code target/difftest-failures/difftest-G.json} (WPT schema: {@code anneau conformance --backend ort FILE}
 * replays it) and fails the test; a summary goes to {@code target/difftest-reports/summary.txt}.
 */
class DifferentialTest {
    static final String REFERENCE = "cpu";
    static final String UNDER_TEST = System.getProperty("difftest.backend", "ort");

    @Test
    void ortAgreesWithCpu() throws IOException {
        Assumptions.assumeTrue(ML.backends().stream().anyMatch(b -> b.name().equals(UNDER_TEST) && b.availability().available()),
                () -> "backend " + UNDER_TEST + " is not available here");
        int graphs = Integer.getInteger("difftest.graphs", 300);
        long seed = Long.getLong("difftest.seed", 20250601L);
        int maxOps = Integer.getInteger("difftest.maxOps", 8);
        String only = System.getProperty("difftest.graphSeed");
        Path failureDir = Path.of(System.getProperty("difftest.failureDir", "target/difftest-failures"));
        Path reportDir = Path.of(System.getProperty("difftest.reportDir", "target/difftest-reports"));
        List<Long> seeds = new ArrayList<>();
        if (only != null && !only.isBlank()) {
            seeds.add(Long.parseUnsignedLong(only.trim()));
        } else {
            SplittableRandom master = new SplittableRandom(seed);
            for (int i = 0; i < graphs; i++) seeds.add(master.nextLong());
        }
        long t0 = System.nanoTime();
        Map<Differential.Kind, Integer> counts = new TreeMap<>();
        Map<String, int[]> perOp = new TreeMap<>(); // op -> {graphs, failing graphs}
        List<String> failures = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        List<String> usable;
        try (Differential diff = new Differential(REFERENCE, UNDER_TEST)) {
            usable = GraphGenerator.usableOperators(diff.caps());
            if (only != null && !only.isBlank()) diff.saveBeforeRun(failureDir); // one graph: keep its file even if it crashes
            Files.createDirectories(reportDir);
            Path running = reportDir.resolve("running.txt");
            for (int i = 0; i < seeds.size(); i++) {
                long gs = seeds.get(i);
                // names the graph when the backend takes the JVM down (a native crash leaves no other report)
                Files.writeString(running, "graph #" + i + " graphSeed=" + Long.toUnsignedString(gs) + " (seed " + seed
                        + ", maxOps " + maxOps + ")\n");
                Differential.Outcome o = diff.check(gs, maxOps, "difftest seed=" + seed + " #" + i);
                counts.merge(o.kind(), 1, Integer::sum);
                if (o.graph() != null) {
                    for (String op : new java.util.TreeSet<>(o.graph().operators())) {
                        int[] c = perOp.computeIfAbsent(op, k -> new int[2]);
                        c[0]++;
                        if (o.failed()) c[1]++;
                    }
                }
                if (o.failed()) {
                    Path f = Differential.save(o, failureDir);
                    String line = o.kind() + " graphSeed=" + Long.toUnsignedString(gs) + " [" + o.graph().describe() + "]: "
                            + abbreviate(o.detail(), 600) + "\n    saved " + f;
                    failures.add(line);
                }
                log.append(o.kind()).append(' ').append(Long.toUnsignedString(gs)).append(' ')
                        .append(o.graph() == null ? "-" : o.graph().describe()).append('\n');
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder sum = new StringBuilder();
        sum.append(String.format("difftest: %d graphs (seed %d, max %d operators) on %s vs %s in %.1f s: %s%n", seeds.size(), seed,
                maxOps, REFERENCE, UNDER_TEST, secs, counts));
        sum.append("operators the generator may use (claimed by both): ").append(usable.size()).append(' ').append(usable).append('\n');
        sum.append("operators exercised (graphs, failing graphs):\n");
        perOp.forEach((op, c) -> sum.append(String.format("  %-22s %5d %5d%n", op, c[0], c[1])));
        for (String f : failures) sum.append(f).append('\n');
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("summary.txt"), sum);
        Files.writeString(reportDir.resolve("graphs.txt"), log);
        System.out.print(sum);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + seeds.size() + " random graphs: " + UNDER_TEST + " disagrees with " + REFERENCE
                    + " (files in " + failureDir + "):\n" + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    static String abbreviate(String s, int n) {
        if (s == null) return "";
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }
}
