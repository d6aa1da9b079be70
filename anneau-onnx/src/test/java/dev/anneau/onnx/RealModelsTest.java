package dev.anneau.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.anneau.models.ModelCatalog;
import dev.anneau.models.ModelFetcher;
import dev.anneau.models.ModelSpec;
import dev.anneau.models.ModelUnavailableException;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog's real models (fetched by {@link ModelFetcher} from their pinned npm / Maven Central
 * packages) end to end through the importer on the cpu and ort backends, against golden outputs
 * of plain ONNX Runtime on the original model, computed here through ORT's Java API (not through
 * Anneau). Tolerance, for every model: each output element within {@code atol + rtol * |golden|},
 * rtol 1e-3 (the ONNX backend-test runner's), atol 1e-4 (float32 sums of thousands of terms whose
 * result is near zero, where the order of summation shows).
 *
 * <p>A backend that does not claim every operator or data type a model needs reports the model
 * as unsupported (listed in the report with the reason) instead of failing; anything else that
 * goes wrong fails. The test is skipped only when the registry cannot be reached
 * ({@link ModelUnavailableException#registryUnreachable()}); a package or model whose SHA-256
 * does not match its pin fails. Writes {@code target/onnx-node-reports/real-models.md}.
 *
 * <p>{@code -Danneau.models=DIR} also runs other models of the same packages found under DIR.
 */
class RealModelsTest {
    /** How a model's inputs are made and how close its outputs must be. */
    record Case(ModelSpec spec, double rtol, double atol, InputMaker inputs) {
        @Override
        public String toString() { return spec.id(); }
    }

    interface InputMaker {
        Map<String, OnnxTensor> make(OnnxModel model);
    }

    static final List<Case> CASES = List.of(
            new Case(ModelCatalog.BLAZEFACE, 1e-3, 1e-4, m -> {
                OnnxModel.ValueInfo in = m.inputs().get(0);
                return Map.of(in.name(), randomFloats(in.resolveShape(Map.of()), 1, -1, 1));
            }),
            new Case(ModelCatalog.PPOCR_DET, 1e-3, 1e-4, m -> Map.of(m.inputs().get(0).name(),
                    randomFloats(new long[] {1, 3, 96, 128}, 2, -1, 1))),
            new Case(ModelCatalog.SILERO_VAD_V5, 1e-3, 1e-4, m -> {
                Map<String, OnnxTensor> in = new LinkedHashMap<>();
                for (OnnxModel.ValueInfo v : m.inputs()) {
                    switch (v.name()) {
                        case "input" -> in.put("input", randomFloats(new long[] {1, 512}, 3, -0.5f, 0.5f));
                        case "state" -> in.put("state", randomFloats(new long[] {2, 1, 128}, 4, -0.1f, 0.1f));
                        case "sr" -> in.put("sr", OnnxTensor.ofLongs(ElementType.INT64, new long[0], 16000));
                        default -> throw new IllegalStateException("unexpected input " + v);
                    }
                }
                return in;
            }),
            new Case(ModelCatalog.MINILM_L6_V2_Q, 1e-3, 1e-4, m -> {
                // "[CLS] hello world is a test sentence [SEP]" in the model's WordPiece vocabulary
                long[] ids = {101, 7592, 2088, 2003, 1037, 3231, 6251, 102};
                Map<String, OnnxTensor> in = new LinkedHashMap<>();
                for (OnnxModel.ValueInfo v : m.inputs()) {
                    long[] values = switch (v.name()) {
                        case "input_ids" -> ids;
                        case "attention_mask" -> filled(ids.length, 1);
                        case "token_type_ids" -> filled(ids.length, 0);
                        default -> throw new IllegalStateException("unexpected input " + v);
                    };
                    in.put(v.name(), OnnxTensor.ofLongs(ElementType.INT64, new long[] {1, ids.length}, values));
                }
                return in;
            }));

    static final List<String> BACKENDS = List.of("cpu", "ort");

    /** Report rows, in run order. */
    static final Map<String, String> REPORT = new ConcurrentHashMap<>();
    static final List<String> ORDER = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Fetched files and golden outputs, computed once per model. */
    static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    static final Map<String, Map<String, OnnxTensor>> GOLDEN = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : CASES) for (String b : BACKENDS) out.add(Arguments.of(c, b));
        return out.stream();
    }

    /** The model file, fetched (or taken from the cache); skips only when the registry is unreachable. */
    static Path fetch(ModelSpec spec) {
        String unreachable = UNREACHABLE.get(spec.id()); // tried once per run: a dead network is not waited for twice
        assumeTrue(unreachable == null, unreachable);
        return FILES.computeIfAbsent(spec.id(), id -> {
            try {
                return new ModelFetcher().fetch(spec);
            } catch (ModelUnavailableException e) {
                if (e.registryUnreachable()) {
                    String why = "skipping real model " + spec.id() + ": the registry cannot be reached: " + e.getMessage();
                    UNREACHABLE.put(spec.id(), why);
                    record(spec.id(), "-", "skipped", "registry unreachable: " + e.getMessage());
                    System.out.println("real-models: " + why);
                    assumeTrue(false, why);
                }
                return fail("real model " + spec.id() + " is not usable: " + e.getMessage(), e);
            }
        });
    }

    static final Map<String, String> UNREACHABLE = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void realModel(Case c, String backendName) throws Exception {
        Path file = fetch(c.spec());
        ML.BackendInfo info = ML.backends().stream().filter(b -> b.name().equals(backendName)).findFirst().orElse(null);
        if (info == null || !info.availability().available()) {
            String why = info == null ? "not on the class path" : info.availability().detail();
            record(c.spec().id(), backendName, "skipped", "backend unavailable: " + why);
            assumeTrue(false, "backend " + backendName + " unavailable: " + why);
        }
        OnnxModel model = OnnxModel.load(file);
        Map<String, OnnxTensor> inputs = c.inputs().make(model);
        Map<String, OnnxTensor> golden = GOLDEN.computeIfAbsent(c.spec().id(), id -> ortGolden(file, inputs));

        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend(backendName));
        try (OnnxSession session = new OnnxSession(ctx, model)) {
            ImportedGraph g;
            try {
                g = session.graphFor(inputs);
            } catch (OnnxUnsupportedException e) {
                // honest "unsupported": the backend lacks operators or data types the model needs
                assertTrue(isUnsupportedNotBroken(e), "the " + backendName + " backend failed on " + c.spec().id()
                        + " (not an unsupported operator): " + e.getMessage());
                String reason = summarize(e);
                record(c.spec().id(), backendName, "unsupported", reason);
                System.out.println("real-models [" + backendName + "] " + c.spec().id() + ": unsupported: " + reason);
                return;
            }
            long r0 = System.nanoTime();
            Map<String, OnnxTensor> ours = session.run(inputs);
            long runMs = (System.nanoTime() - r0) / 1_000_000;
            double worst = 0;
            StringBuilder problems = new StringBuilder();
            assertEquals(golden.keySet(), ours.keySet(), "outputs");
            for (var e : golden.entrySet()) {
                OnnxTensor want = e.getValue();
                OnnxTensor got = ours.get(e.getKey());
                assertNotNull(got, e.getKey());
                assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), "shape of " + e.getKey());
                assertEquals(want.type(), got.type(), "type of " + e.getKey());
                for (int i = 0; i < want.size(); i++) {
                    double ev = want.getDouble(i), av = got.getDouble(i);
                    double err = Math.abs(av - ev) / (c.atol() + c.rtol() * Math.abs(ev));
                    if (Double.isNaN(ev) != Double.isNaN(av)) err = Double.POSITIVE_INFINITY;
                    if (!(err <= 1) && problems.length() < 300) {
                        problems.append(String.format(Locale.ROOT, " %s[%d]: got %s, ORT %s;", e.getKey(), i, av, ev));
                    }
                    if (!(err <= worst)) worst = err;
                }
            }
            String detail = String.format(Locale.ROOT, "worst error %.3g of the tolerance (rtol %g, atol %g); import %d ms, build %d ms, run %d ms",
                    worst, c.rtol(), c.atol(), g.importNanos() / 1_000_000, g.buildNanos() / 1_000_000, runMs);
            System.out.println("real-models [" + backendName + "] " + c.spec().id() + ": " + detail);
            record(c.spec().id(), backendName, worst <= 1 ? "passed" : "failed", detail + (problems.isEmpty() ? "" : ";" + problems));
            assertTrue(worst <= 1, c.spec().id() + " on " + backendName + " differs from ONNX Runtime: " + detail + ";" + problems);
        } finally {
            ctx.destroy();
        }
    }

    /** Unsupported operators, attributes or types; a graph the backend rejected for another reason is a failure. */
    static boolean isUnsupportedNotBroken(OnnxUnsupportedException e) {
        for (OnnxUnsupportedException.Issue i : e.issues()) {
            if (i.opType().equals("build") && i.message().contains("rejected")) return false;
        }
        return true;
    }

    /** The distinct problems, shortened: which WebNN operators / types the backend lacks. */
    static String summarize(OnnxUnsupportedException e) {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (OnnxUnsupportedException.Issue i : e.issues()) {
            String m = i.message();
            int cut = m.indexOf(" (shape");
            s.add(i.opType() + ": " + (cut > 0 ? m.substring(0, cut) : m));
        }
        String all = String.join("; ", s);
        return e.issues().size() + (e.issues().size() == 1 ? " problem: " : " problems: ") + (all.length() > 600 ? all.substring(0, 600) + "..." : all);
    }

    static synchronized void record(String model, String backend, String status, String detail) {
        String key = model + " | " + backend;
        if (!REPORT.containsKey(key)) ORDER.add(key);
        REPORT.put(key, status + " | " + detail.replace("|", "\\|").replace("\n", " "));
    }

    @AfterAll
    static void writeReport() throws Exception {
        if (ORDER.isEmpty()) return;
        StringBuilder s = new StringBuilder("# Real models through the importer vs plain ONNX Runtime\n\n")
                .append("| model | backend | status | detail |\n|---|---|---|---|\n");
        for (String k : ORDER) s.append("| ").append(k).append(" | ").append(REPORT.get(k)).append(" |\n");
        Path dir = Path.of(System.getProperty("anneau.reportDir", "target/onnx-node-reports"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("real-models.md"), s);
    }

    // ------------------------------------------------------------------ plain ONNX Runtime

    /** Runs the original model file on ONNX Runtime's CPU EP and returns every output as an OnnxTensor. */
    static Map<String, OnnxTensor> ortGolden(Path model, Map<String, OnnxTensor> inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, ai.onnxruntime.OnnxTensor> feed = new HashMap<>();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession ort = env.createSession(model.toString(), so)) {
            for (var e : inputs.entrySet()) feed.put(e.getKey(), toOrt(env, e.getValue()));
            Map<String, OnnxTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = ort.run(feed)) {
                for (var e : r) out.put(e.getKey(), fromOrt((ai.onnxruntime.OnnxTensor) e.getValue()));
            }
            return out;
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot run " + model + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    static ai.onnxruntime.OnnxTensor toOrt(OrtEnvironment env, OnnxTensor t) throws ai.onnxruntime.OrtException {
        ByteBuffer b = ByteBuffer.allocateDirect((int) t.byteLength()).order(ByteOrder.nativeOrder());
        ByteBuffer src = t.data();
        switch (t.type()) {
            case FLOAT -> {
                while (src.hasRemaining()) b.putFloat(src.getFloat());
                b.flip();
                return ai.onnxruntime.OnnxTensor.createTensor(env, b.asFloatBuffer(), t.shape());
            }
            case INT64 -> {
                while (src.hasRemaining()) b.putLong(src.getLong());
                b.flip();
                return ai.onnxruntime.OnnxTensor.createTensor(env, b.asLongBuffer(), t.shape());
            }
            default -> throw new IllegalArgumentException("no ORT conversion for " + t.type());
        }
    }

    static OnnxTensor fromOrt(ai.onnxruntime.OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
        return switch (t.getInfo().type) {
            case FLOAT -> {
                float[] v = new float[b.remaining() / 4];
                b.asFloatBuffer().get(v);
                yield OnnxTensor.ofFloats(shape, v);
            }
            case INT64 -> {
                long[] v = new long[b.remaining() / 8];
                b.asLongBuffer().get(v);
                yield OnnxTensor.ofLongs(ElementType.INT64, shape, v);
            }
            default -> throw new IllegalArgumentException("no conversion for ORT output type " + t.getInfo());
        };
    }

    static OnnxTensor randomFloats(long[] shape, long seed, float lo, float hi) {
        Random r = new Random(seed);
        int n = (int) OnnxTensor.elementCount(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return OnnxTensor.ofFloats(shape, v);
    }

    static long[] filled(int n, long value) {
        long[] v = new long[n];
        Arrays.fill(v, value);
        return v;
    }

    // ------------------------------------------------------------------ other models of the same packages (opt-in)

    static Path find(String name) throws Exception {
        String d = System.getProperty("anneau.models");
        assumeTrue(d != null && !d.isBlank(), "set -Danneau.models=DIR (unpacked packages) to run the other packaged models");
        try (var s = Files.walk(Path.of(d))) {
            Path p = s.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElse(null);
            assumeTrue(p != null, name + " not found under " + d);
            return p;
        }
    }

    /** Every float input random, int64 inputs 16000 (a sample rate), shapes from {@code shapes} or the model. */
    static void generic(String file, Map<String, long[]> shapes) throws Exception {
        Path m = find(file);
        OnnxModel model = OnnxModel.load(m);
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        long seed = 10;
        for (OnnxModel.ValueInfo in : model.inputs()) {
            long[] shape = shapes.containsKey(in.name()) ? shapes.get(in.name())
                    : in.dims().stream().mapToLong(d -> d.value() >= 0 ? d.value() : 1).toArray();
            if (in.type() == ElementType.INT64) inputs.put(in.name(), OnnxTensor.ofLongs(ElementType.INT64, shape, 16000));
            else inputs.put(in.name(), randomFloats(shape, seed++, -0.5f, 0.5f));
        }
        Map<String, OnnxTensor> golden = ortGolden(m, inputs);
        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        try (OnnxSession s = new OnnxSession(ctx, model)) {
            Map<String, OnnxTensor> ours = s.run(inputs);
            for (var e : golden.entrySet()) {
                OnnxTensor want = e.getValue(), got = ours.get(e.getKey());
                assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), file + " " + e.getKey());
                for (int i = 0; i < want.size(); i++) {
                    double ev = want.getDouble(i);
                    assertTrue(Math.abs(got.getDouble(i) - ev) <= 1e-4 + 1e-3 * Math.abs(ev),
                            file + " " + e.getKey() + "[" + i + "]: got " + got.getDouble(i) + ", ORT " + ev);
                }
            }
        } finally {
            ctx.destroy();
        }
    }

    @Test
    void otherPackagedModels() throws Exception {
        generic("face_detection_back_256x256_barracuda.onnx", Map.of());
        generic("ch_PP-OCRv4_rec_infer.onnx", Map.of("x", new long[] {1, 3, 48, 160}));
        generic("ch_ppocr_mobile_v2.0_cls_infer.onnx", Map.of("x", new long[] {1, 3, 48, 192}));
        generic("silero_vad_legacy.onnx", Map.of("input", new long[] {1, 512}, "sr", new long[0]));
        generic("silero_vad_v6.onnx", Map.of("input", new long[] {1, 512}, "state", new long[] {2, 1, 128}, "sr", new long[0]));
    }
}
