package dev.anneau.bench;

import dev.anneau.backend.cpu.simd.VectorSupport;
import dev.anneau.webnn.ML;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks in a short JMH configuration (one fork per benchmark and parameter set, a
 * few iterations; enough for ratios on a small machine, not for publication) and prints a table
 * of the median times with the ratios between peers measured in the same run. Medians (JMH's
 * sample mode) rather than means: on a shared machine a few slow runs would move a mean. The
 * warm-up is long because the Vector API is only fast once C2 has compiled it.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "anneau-bench/target/classes:anneau-bench/target/lib/*" dev.anneau.bench.BenchMain [options]
 *   -c CASE,...   graph cases (default: all of GraphBenchmark's)
 *   -k KERNEL,... kernels (default: all of KernelBenchmark's); -k none or -c none skips a group
 *   -w N          warm-up iterations (default 5)     -i N   measured iterations (default 5)
 *   -t SECONDS    time per iteration (default 1)
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException {
        List<String> cases = List.of(), kernels = List.of();
        int warmups = 5, iterations = 5;
        double seconds = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "-c" -> { cases = Arrays.asList(require(a, v).split(",")); i++; }
                case "-k" -> { kernels = Arrays.asList(require(a, v).split(",")); i++; }
                case "-w" -> { warmups = Integer.parseInt(require(a, v)); i++; }
                case "-i" -> { iterations = Integer.parseInt(require(a, v)); i++; }
                case "-t" -> { seconds = Double.parseDouble(require(a, v)); i++; }
                case "-h", "--help" -> {
                    System.out.println("usage: BenchMain [-c CASE,...|none] [-k KERNEL,...|none] [-w N] [-i N] [-t SECONDS]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        TimeValue time = TimeValue.milliseconds((long) (seconds * 1000));
        ChainedOptionsBuilder ob = new OptionsBuilder()
                .forks(1)
                .warmupIterations(warmups).warmupTime(time)
                .measurementIterations(iterations).measurementTime(time)
                .timeUnit(TimeUnit.MICROSECONDS)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m");
        boolean graphs = !cases.equals(List.of("none")), kernelRuns = !kernels.equals(List.of("none"));
        if (graphs) ob.include(GraphBenchmark.class.getSimpleName() + "\\.");
        if (kernelRuns) ob.include(KernelBenchmark.class.getSimpleName() + "\\.");
        if (graphs && !cases.isEmpty()) ob.param("bench", cases.toArray(String[]::new));
        if (kernelRuns && !kernels.isEmpty()) ob.param("kernel", kernels.toArray(String[]::new));

        System.out.println("anneau-bench: JMH, 1 fork, " + warmups + " x " + seconds + " s warm-up, " + iterations + " x "
                + seconds + " s measured, per (benchmark, parameters)");
        System.out.println("  java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println("  cpu kernels: " + VectorSupport.status() + " (one thread)");
        for (ML.BackendInfo b : ML.backends()) {
            if (b.name().equals("ort")) System.out.println("  ort: " + b.availability().detail());
        }
        Collection<RunResult> results = new Runner(ob.build()).run();

        System.out.println();
        if (graphs) {
            System.out.println("Graphs (dispatch + read of the output; median time per operation [10th..90th percentile]):");
            table(results, GraphBenchmark.class, "bench", "peer", List.of("cpu-scalar", "cpu-vector", "ort"),
                    List.of(new Ratio("scalar/vector", "cpu-scalar", "cpu-vector"), new Ratio("cpu-vector/ort", "cpu-vector", "ort")));
            System.out.println();
        }
        if (kernelRuns) {
            System.out.println("Kernels (simd.FloatKernels alone: gemm 512^3, the others 2^20 floats; median [p10..p90]):");
            table(results, KernelBenchmark.class, "kernel", "impl", List.of("scalar", "vector"),
                    List.of(new Ratio("scalar/vector", "scalar", "vector")));
            System.out.println();
        }
        System.out.println("A ratio a/b > 1 means b is that many times faster than a. The CPU backend runs on one");
        System.out.println("thread, ONNX Runtime on one per core.");
    }

    private static String require(String option, String value) {
        if (value == null) throw new IllegalArgumentException(option + " needs a value");
        return value;
    }

    /** A ratio column: the time of {@code num} over the time of {@code den}. */
    record Ratio(String title, String num, String den) {}

    static void table(Collection<RunResult> results, Class<?> benchmark, String rowParam, String columnParam,
                      List<String> columns, List<Ratio> ratios) {
        Map<String, Map<String, Result<?>>> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().startsWith(benchmark.getName() + ".")) continue;
            String row = r.getParams().getParam(rowParam), column = r.getParams().getParam(columnParam);
            rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(column, r.getPrimaryResult());
        }
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-10s", rowParam));
        for (String c : columns) h.append(String.format(Locale.ROOT, " %26s", c));
        for (Ratio q : ratios) h.append(String.format(Locale.ROOT, " %15s", q.title()));
        System.out.println(h);
        for (var e : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-10s", e.getKey()));
            for (String c : columns) {
                Result<?> r = e.getValue().get(c);
                line.append(String.format(Locale.ROOT, " %26s", r == null ? "-" : timeWithSpread(r)));
            }
            for (Ratio q : ratios) {
                Result<?> n = e.getValue().get(q.num()), d = e.getValue().get(q.den());
                line.append(String.format(Locale.ROOT, " %15s",
                        n == null || d == null ? "-" : String.format(Locale.ROOT, "%.2fx", median(n) / median(d))));
            }
            System.out.println(line);
        }
        List<String> missing = new ArrayList<>();
        for (var e : rows.entrySet()) {
            for (String c : columns) if (!e.getValue().containsKey(c)) missing.add(e.getKey() + "/" + c);
        }
        if (!missing.isEmpty()) System.out.println("  no result (failed or filtered out; see the JMH log above): " + missing);
    }

    /** The median time of a sample-mode result, in the benchmark's unit (microseconds). */
    static double median(Result<?> r) { return r.getStatistics().getPercentile(50); }

    /** The median as a short time, with the 10th and 90th percentiles. */
    static String timeWithSpread(Result<?> r) {
        double p50 = median(r), p10 = r.getStatistics().getPercentile(10), p90 = r.getStatistics().getPercentile(90);
        double scale = p50 >= 1000 ? 1e-3 : 1;
        String unit = p50 >= 1000 ? "ms" : "us";
        return String.format(Locale.ROOT, "%.3g %s [%.3g..%.3g]", p50 * scale, unit, p10 * scale, p90 * scale);
    }
}
