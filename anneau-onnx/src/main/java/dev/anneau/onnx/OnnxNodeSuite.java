package dev.anneau.onnx;

import dev.anneau.webnn.MLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs ONNX backend tests (the ONNX project's {@code onnx/backend/test/data} layout: a folder
 * with {@code model.onnx} and {@code test_data_set_N/input_K.pb}, {@code output_K.pb}) through the
 * importer on a context and compares the outputs as the ONNX runner does: {@code |actual -
 * expected| <= atol + rtol * |expected|} with rtol 1e-3, atol 1e-7 for floats, integers and
 * booleans exactly, NaN equal to NaN. Each test is passed, failed (wrong values, or an error
 * while running), or unsupported (the importer or the backend cannot map the model; the reason
 * lists what).
 */
public final class OnnxNodeSuite {
    public static final double RTOL = 1e-3;
    public static final double ATOL = 1e-7;

    public enum Status { PASSED, FAILED, UNSUPPORTED }

    /** One test's outcome. */
    public record Result(String name, Status status, String detail, long millis) {}

    /** All outcomes of a run, with the counts line and a report writer. */
    public record Summary(String backend, List<Result> results) {
        public long count(Status s) { return results.stream().filter(r -> r.status() == s).count(); }

        public long passed() { return count(Status.PASSED); }

        public long failed() { return count(Status.FAILED); }

        public long unsupported() { return count(Status.UNSUPPORTED); }

        /** {@code onnx-node: N passed, M failed, K unsupported}. */
        public String line() {
            return "onnx-node: " + passed() + " passed, " + failed() + " failed, " + unsupported() + " unsupported";
        }

        /** Writes a Markdown report: the counts, then one row per test with the reason for each non-pass. */
        public void writeReport(Path file) {
            StringBuilder s = new StringBuilder("# ONNX backend tests on the ").append(backend).append(" backend\n\n")
                    .append(line()).append("\n\n| test | status | ms | detail |\n|---|---|---:|---|\n");
            for (Result r : results) {
                s.append("| ").append(r.name()).append(" | ").append(r.status().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(r.millis()).append(" | ").append(r.detail() == null ? "" : escape(r.detail())).append(" |\n");
            }
            try {
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                Files.writeString(file, s, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String escape(String d) {
            String one = d.replace("\r", " ").replace("\n", "<br>").replace("|", "\\|");
            return one.length() > 1500 ? one.substring(0, 1500) + "..." : one;
        }
    }

    private OnnxNodeSuite() {}

    /** True when {@code dir} holds a test: {@code model.onnx} and at least one {@code test_data_set_*} folder. */
    public static boolean isTest(Path dir) {
        if (!Files.isRegularFile(dir.resolve("model.onnx"))) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Test folders at or below each path (a test folder itself, or any parent of test folders), sorted. */
    public static List<Path> findTests(List<Path> roots) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (isTest(root)) {
                out.add(root);
                continue;
            }
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> s = Files.walk(root, 4)) {
                s.filter(Files::isDirectory).filter(OnnxNodeSuite::isTest).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    /** A readable test name: the folder, with its parent suite folder when there is one ("node/test_abs"). */
    public static String nameOf(Path dir) {
        Path parent = dir.getParent();
        String n = dir.getFileName().toString();
        return parent != null && parent.getFileName() != null ? parent.getFileName() + "/" + n : n;
    }

    /** Runs every test on {@code context}; {@code progress} (may be null) sees each result as it comes. */
    public static Summary run(MLContext context, List<Path> tests, Consumer<Result> progress) {
        List<Result> results = new ArrayList<>();
        for (Path t : tests) {
            Result r = runTest(context, t);
            results.add(r);
            if (progress != null) progress.accept(r);
        }
        return new Summary(context.backendName(), results);
    }

    /** Runs one test folder (all its data sets) on {@code context}. */
    public static Result runTest(MLContext context, Path dir) {
        String name = nameOf(dir);
        long start = System.nanoTime();
        try {
            OnnxModel model = OnnxModel.load(dir.resolve("model.onnx"));
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            try (OnnxSession session = new OnnxSession(context, model)) {
                for (Path set : sets) {
                    String problem = runDataSet(session, model, set);
                    if (problem != null) return new Result(name, Status.FAILED, set.getFileName() + ": " + problem, ms(start));
                }
            }
            return new Result(name, Status.PASSED, null, ms(start));
        } catch (OnnxUnsupportedException e) {
            return new Result(name, Status.UNSUPPORTED, e.getMessage(), ms(start));
        } catch (TensorProtos.OnnxUnsupportedTypeException e) {
            return new Result(name, Status.UNSUPPORTED, e.getMessage(), ms(start));
        } catch (RuntimeException | IOException | OutOfMemoryError | StackOverflowError e) {
            return new Result(name, Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), ms(start));
        }
    }

    private static long ms(long start) { return (System.nanoTime() - start) / 1_000_000; }

    /** Runs one data set; returns null when every output matches, else what differs. */
    static String runDataSet(OnnxSession session, OnnxModel model, Path set) {
        List<OnnxModel.ValueInfo> ins = model.inputs();
        List<OnnxUnsupportedException.Issue> kinds = new java.util.ArrayList<>();
        for (OnnxModel.ValueInfo v : ins) {
            if (!"tensor".equals(v.kind())) kinds.add(new OnnxUnsupportedException.Issue("graph input '" + v.name() + "'", "input", "a " + v.kind() + "; only tensors are supported"));
        }
        for (OnnxModel.ValueInfo v : model.outputs()) {
            if (!"tensor".equals(v.kind())) kinds.add(new OnnxUnsupportedException.Issue("graph output '" + v.name() + "'", "output", "a " + v.kind() + "; only tensors are supported"));
        }
        if (!kinds.isEmpty()) throw new OnnxUnsupportedException(kinds);
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Path f = set.resolve("input_" + i + ".pb");
            if (!Files.exists(f)) break;
            if (i >= ins.size()) return "more input files than graph inputs";
            inputs.put(ins.get(i).name(), TensorProtos.read(f));
        }
        Map<String, OnnxTensor> got = session.run(inputs);
        List<OnnxModel.ValueInfo> outs = model.outputs();
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < outs.size(); i++) {
            Path f = set.resolve("output_" + i + ".pb");
            if (!Files.exists(f)) continue;
            OnnxTensor expected = TensorProtos.read(f);
            OnnxTensor actual = got.get(outs.get(i).name());
            String d = compare(expected, actual);
            if (d != null) problems.append(problems.isEmpty() ? "" : "; ").append("output '").append(outs.get(i).name()).append("': ").append(d);
        }
        return problems.isEmpty() ? null : problems.toString();
    }

    /** Null when {@code actual} matches {@code expected} within the ONNX runner's tolerance, else a description. */
    public static String compare(OnnxTensor expected, OnnxTensor actual) {
        if (actual == null) return "missing";
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return "shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape());
        }
        boolean boolLike = (expected.type() == ElementType.BOOL || expected.type() == ElementType.UINT8)
                && (actual.type() == ElementType.BOOL || actual.type() == ElementType.UINT8);
        if (expected.type() != actual.type() && !boolLike) return "type " + actual.type() + ", expected " + expected.type();
        int bad = 0, first = -1;
        double worst = 0;
        int worstAt = -1;
        boolean isFloat = expected.type().isFloat();
        for (int i = 0; i < expected.size(); i++) {
            boolean ok;
            if (isFloat) {
                double e = expected.getDouble(i), a = actual.getDouble(i);
                if (Double.isNaN(e) || Double.isNaN(a)) ok = Double.isNaN(e) && Double.isNaN(a);
                else if (Double.isInfinite(e) || Double.isInfinite(a)) ok = e == a;
                else {
                    double err = Math.abs(a - e);
                    ok = err <= ATOL + RTOL * Math.abs(e);
                    double rel = err / (ATOL + RTOL * Math.abs(e));
                    if (rel > worst) {
                        worst = rel;
                        worstAt = i;
                    }
                }
            } else {
                ok = expected.getLong(i) == actual.getLong(i);
            }
            if (!ok) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad == 0) return null;
        String at = describe(expected, actual, first);
        return bad + " of " + expected.size() + " elements differ (first at " + at + ")"
                + (worstAt >= 0 && worstAt != first ? ", worst at " + describe(expected, actual, worstAt) : "");
    }

    private static String describe(OnnxTensor e, OnnxTensor a, int i) {
        if (e.type().isFloat()) return "[" + i + "]: got " + a.getDouble(i) + ", expected " + e.getDouble(i);
        return "[" + i + "]: got " + a.getLong(i) + ", expected " + e.getLong(i);
    }
}
