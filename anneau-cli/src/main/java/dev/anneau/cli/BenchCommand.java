package dev.anneau.cli;

import dev.anneau.cli.BenchCases.Case;
import dev.anneau.cli.BenchCases.Peer;
import dev.anneau.cli.BenchCases.Prepared;
import dev.anneau.webnn.ML;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anneau bench}: a quick in-process benchmark of {@link BenchCases} on the CPU backend's
 * scalar and vector kernels and on ONNX Runtime, with the ratios between them. Everything runs in
 * this JVM, one case and peer after the other (for forked, statistically careful numbers use the
 * JMH benchmarks of anneau-bench).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        description = {
            "Times a few graphs on the CPU backend (scalar and Vector API kernels) and on",
            "ONNX Runtime, in this JVM, and prints the times and their ratios.",
            "",
            "Each case is built once per peer, warmed up, then dispatched (and its output",
            "read back) repeatedly; the table shows the median time per dispatch. The",
            "outputs of the peers are compared, so a ratio never hides a wrong result.",
            "The peers share this JVM (and its JIT); for forked, repeated measurements",
            "use the JMH benchmarks of anneau-bench.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau bench                              every case on every peer",
            "  anneau bench -c matmul512 -c conv2d -t 3  two cases, 3 s of timing each",
            "  anneau bench -p cpu-vector -p ort         without the scalar kernels",
            "",
            "Cases: matmul512, conv2d, mlp, eltwise, reduce, tiny.",
            "Peers: cpu-vector, cpu-scalar (the same CPU kernels on plain loops), ort.",
            "The CPU backend runs on one thread; ONNX Runtime uses one per core."
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--case"}, paramLabel = "CASE", description = "A case to run (repeatable; default: all).")
    List<String> cases = new ArrayList<>();

    @Option(names = {"-p", "--peer"}, paramLabel = "PEER", description = "A peer to run on (repeatable; default: all available).")
    List<String> peers = new ArrayList<>();

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds of timing per case and peer, after at least as long a warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    /** Median and fastest time of one case on one peer, and its output. */
    record Timing(double medianNanos, double minNanos, int runs, float[] output) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Case> caseList;
        List<Peer> peerList;
        try {
            caseList = cases.isEmpty() ? List.of(Case.values()) : cases.stream().map(Case::of).toList();
            peerList = peers.isEmpty() ? List.of(Peer.values()) : peers.stream().map(Peer::of).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!(seconds > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--time must be positive, got " + seconds);
        String cpu = detail("cpu"), ort = detail("ort");
        List<Peer> usable = new ArrayList<>();
        for (Peer p : peerList) {
            String d = detail(p.backend);
            if (d == null) {
                out.println("skipping " + p.key + ": backend '" + p.backend + "' is not available here");
            } else {
                usable.add(p);
            }
        }
        out.printf(Locale.ROOT, "anneau bench: in one JVM, per case and peer: warm-up until the JIT settles (>= %.1f s), then"
                + " %.1f s of runs; median time per dispatch + read%n", seconds, seconds);
        out.println("  cpu: " + (cpu == null ? "not available" : cpu) + " (one thread)");
        out.println("  ort: " + (ort == null ? "not available" : ort) + " (" + Runtime.getRuntime().availableProcessors()
                + " intra-op threads)");
        if (cpu != null && !cpu.contains("Vector API") && usable.contains(Peer.CPU_VECTOR)) {
            out.println("  note: the Vector API is off in this JVM, so cpu-vector runs the scalar kernels too"
                    + " (start java with --add-modules jdk.incubator.vector; ./anneau does)");
        }
        out.flush();

        Map<Case, Map<Peer, Timing>> results = new EnumMap<>(Case.class);
        for (Case c : caseList) {
            Map<Peer, Timing> row = new EnumMap<>(Peer.class);
            for (Peer p : usable) {
                try {
                    row.put(p, time(c, p, seconds));
                } catch (RuntimeException e) {
                    out.println("  " + c.key + " on " + p.key + " failed: " + e.getMessage());
                }
            }
            results.put(c, row);
            out.printf(Locale.ROOT, "  %-10s %s%n", c.key, summary(row));
            out.flush();
        }
        out.println();
        printTable(out, results, usable);
        out.flush();
        return 0;
    }

    private static String detail(String backend) {
        for (ML.BackendInfo b : ML.backends()) {
            if (b.name().equals(backend) && b.availability().available()) return b.availability().detail();
        }
        return null;
    }

    /**
     * Warms up until the JIT has settled (rounds of at least 0.25 s whose median stops improving by
     * more than 5%, at least {@code seconds} and at most 10 times that), then times runs for
     * {@code seconds} (at least 5). The Vector API is only fast once C2 has compiled it, which on a
     * busy machine can take seconds; a fixed short warm-up would time the interpreter.
     */
    static Timing time(Case c, Peer p, double seconds) {
        try (Prepared prepared = BenchCases.prepare(c, p)) {
            long budget = (long) (seconds * 1e9), round = Math.max(budget / 4, 250_000_000L);
            long start = System.nanoTime();
            double previous = Double.POSITIVE_INFINITY;
            while (true) {
                double median = median(runFor(prepared, round, 3));
                long elapsed = System.nanoTime() - start;
                boolean settled = median > 0.95 * previous;
                previous = Math.min(previous, median);
                if (elapsed >= 10 * budget || (settled && elapsed >= budget)) break;
            }
            long[] sorted = runFor(prepared, budget, 5);
            return new Timing(median(sorted), sorted[0], sorted.length, prepared.output());
        }
    }

    /** Times runs for {@code nanos} (and at least {@code min} runs); the sorted durations. */
    private static long[] runFor(Prepared prepared, long nanos, int min) {
        List<Long> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < min || System.nanoTime() - start < nanos) {
            long t0 = System.nanoTime();
            prepared.run();
            times.add(System.nanoTime() - t0);
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String summary(Map<Peer, Timing> row) {
        StringBuilder s = new StringBuilder();
        row.forEach((p, t) -> s.append(String.format(Locale.ROOT, "%s %s (%d runs)  ", p.key, BenchCases.time(t.medianNanos()), t.runs())));
        return s.toString().trim();
    }

    static void printTable(PrintWriter out, Map<Case, Map<Peer, Timing>> results, List<Peer> peers) {
        boolean vs = peers.contains(Peer.CPU_SCALAR) && peers.contains(Peer.CPU_VECTOR);
        boolean vo = peers.contains(Peer.CPU_VECTOR) && peers.contains(Peer.ORT);
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-10s", "case"));
        for (Peer p : peers) h.append(String.format(Locale.ROOT, " %12s", p.key));
        if (vs) h.append(String.format(Locale.ROOT, " %15s", "scalar/vector"));
        if (vo) h.append(String.format(Locale.ROOT, " %15s", "cpu-vector/ort"));
        out.println(h);
        List<String> notes = new ArrayList<>();
        for (var e : results.entrySet()) {
            Map<Peer, Timing> row = e.getValue();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", e.getKey().key));
            for (Peer p : peers) {
                Timing t = row.get(p);
                line.append(String.format(Locale.ROOT, " %12s", t == null ? "-" : BenchCases.time(t.medianNanos())));
            }
            if (vs) line.append(String.format(Locale.ROOT, " %15s", ratio(row.get(Peer.CPU_SCALAR), row.get(Peer.CPU_VECTOR))));
            if (vo) line.append(String.format(Locale.ROOT, " %15s", ratio(row.get(Peer.CPU_VECTOR), row.get(Peer.ORT))));
            out.println(line);
            String differ = disagreement(row);
            if (differ != null) notes.add(e.getKey().key + ": " + differ);
        }
        out.println();
        out.println("scalar/vector > 1: the Vector API kernels are that many times faster than the scalar ones;");
        out.println("cpu-vector/ort > 1: ONNX Runtime is that many times faster than the CPU backend.");
        if (notes.isEmpty()) {
            out.println("outputs: every peer agrees with the first (max |difference| <= 1e-4 of the largest value)");
        } else {
            for (String n : notes) out.println("WARNING outputs differ: " + n);
        }
    }

    private static String ratio(Timing num, Timing den) {
        if (num == null || den == null) return "-";
        return String.format(Locale.ROOT, "%.2fx", num.medianNanos() / den.medianNanos());
    }

    /** Null when every peer's output is within 1e-4 (relative to the largest value) of the first one's. */
    static String disagreement(Map<Peer, Timing> row) {
        float[] ref = null;
        Peer refPeer = null;
        StringBuilder s = new StringBuilder();
        for (var e : row.entrySet()) {
            float[] o = e.getValue().output();
            if (ref == null) {
                ref = o;
                refPeer = e.getKey();
                continue;
            }
            if (o.length != ref.length) {
                s.append(e.getKey().key).append(" has ").append(o.length).append(" outputs, ").append(refPeer.key)
                        .append(' ').append(ref.length).append("; ");
                continue;
            }
            double scale = 0, diff = 0;
            for (float v : ref) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < ref.length; i++) {
                double d = Math.abs((double) o[i] - ref[i]);
                diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
            }
            if (diff > 1e-4 * Math.max(scale, 1e-30)) {
                s.append(String.format(Locale.ROOT, "%s vs %s max |difference| %.3g (largest value %.3g); ",
                        e.getKey().key, refPeer.key, diff, scale));
            }
        }
        return s.isEmpty() ? null : s.toString().trim();
    }
}
