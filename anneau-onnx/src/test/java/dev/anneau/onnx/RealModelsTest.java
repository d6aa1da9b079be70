package dev.anneau.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real models through the importer on the CPU backend, against plain ONNX Runtime (its Java API
 * directly, not through Anneau) on the original model. Skipped unless {@code -Danneau.models=DIR}
 * names a folder holding the model files (from their registry packages: see the issue).
 */
class RealModelsTest {
    static Path dir() {
        String d = System.getProperty("anneau.models");
        assumeTrue(d != null && !d.isBlank(), "set -Danneau.models=DIR to run the real-model checks");
        return Path.of(d);
    }

    static Path find(String name) throws Exception {
        try (var s = Files.walk(dir())) {
            Path p = s.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElse(null);
            assumeTrue(p != null, name + " not found under " + dir());
            return p;
        }
    }

    static dev.anneau.onnx.OnnxTensor randomFloats(long[] shape, long seed, float lo, float hi) {
        Random r = new Random(seed);
        int n = (int) dev.anneau.onnx.OnnxTensor.elementCount(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return dev.anneau.onnx.OnnxTensor.ofFloats(shape, v);
    }

    /** Runs both and returns the worst |a - e| / (atol + rtol |e|) over all outputs. */
    static double compare(Path model, Map<String, dev.anneau.onnx.OnnxTensor> inputs, double rtol, double atol) throws Exception {
        Map<String, dev.anneau.onnx.OnnxTensor> ours;
        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        long t0 = System.nanoTime();
        try (OnnxSession s = new OnnxSession(ctx, OnnxModel.load(model))) {
            ours = s.run(inputs);
            long t1 = System.nanoTime();
            s.run(inputs);
            System.out.printf("%s: import+run %d ms, run %d ms%n", model.getFileName(), (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        } finally {
            ctx.destroy();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worst = 0;
        try (OrtSession ort = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> feed = new HashMap<>();
            for (var e : inputs.entrySet()) {
                dev.anneau.onnx.OnnxTensor t = e.getValue();
                ByteBuffer b = ByteBuffer.allocateDirect((int) t.byteLength()).order(ByteOrder.nativeOrder());
                b.put(t.data()).flip();
                OnnxTensor ot = switch (t.type()) {
                    case FLOAT -> OnnxTensor.createTensor(env, b.asFloatBuffer(), t.shape());
                    case INT64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), t.shape());
                    default -> throw new IllegalArgumentException(t.type().toString());
                };
                feed.put(e.getKey(), ot);
            }
            try (OrtSession.Result r = ort.run(feed)) {
                for (var e : ours.entrySet()) {
                    OnnxTensor expected = (OnnxTensor) r.get(e.getKey()).orElseThrow();
                    dev.anneau.onnx.OnnxTensor got = e.getValue();
                    long[] es = expected.getInfo().getShape();
                    assertEquals(java.util.Arrays.toString(es), java.util.Arrays.toString(got.shape()), e.getKey());
                    double[] ev = values(expected);
                    for (int i = 0; i < ev.length; i++) {
                        double err = Math.abs(got.getDouble(i) - ev[i]) / (atol + rtol * Math.abs(ev[i]));
                        worst = Math.max(worst, err);
                    }
                }
            }
            feed.values().forEach(OnnxTensor::close);
        }
        System.out.printf("%s: worst error %.3g of the tolerance%n", model.getFileName(), worst);
        return worst;
    }

    static double[] values(OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
        switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer f = b.asFloatBuffer();
                double[] v = new double[f.remaining()];
                for (int i = 0; i < v.length; i++) v[i] = f.get(i);
                return v;
            }
            case INT64 -> {
                LongBuffer l = b.asLongBuffer();
                double[] v = new double[l.remaining()];
                for (int i = 0; i < v.length; i++) v[i] = l.get(i);
                return v;
            }
            default -> throw new IllegalArgumentException(t.getInfo().toString());
        }
    }

    @Test
    void blazeFace() throws Exception {
        Path m = find("face_detection_front_128x128_barracuda.onnx");
        OnnxModel.ValueInfo in = OnnxModel.load(m).inputs().get(0);
        long[] shape = in.dims().stream().mapToLong(d -> d.value() >= 0 ? d.value() : 1).toArray();
        assertTrue(compare(m, Map.of(in.name(), randomFloats(shape, 1, -1, 1)), 1e-3, 1e-4) <= 1);
    }

    @Test
    void ppOcrDetection() throws Exception {
        Path m = find("ch_PP-OCRv4_det_infer.onnx");
        OnnxModel.ValueInfo in = OnnxModel.load(m).inputs().get(0);
        assertTrue(compare(m, Map.of(in.name(), randomFloats(new long[] {1, 3, 96, 128}, 2, -1, 1)), 1e-3, 1e-4) <= 1);
    }

    @Test
    void sileroVad() throws Exception {
        Path m = find("silero_vad_v5.onnx");
        OnnxModel model = OnnxModel.load(m);
        Map<String, dev.anneau.onnx.OnnxTensor> inputs = new LinkedHashMap<>();
        for (OnnxModel.ValueInfo in : model.inputs()) {
            switch (in.name()) {
                case "input" -> inputs.put("input", randomFloats(new long[] {1, 512}, 3, -0.5f, 0.5f));
                case "state" -> inputs.put("state", randomFloats(new long[] {2, 1, 128}, 4, -0.1f, 0.1f));
                case "sr" -> inputs.put("sr", dev.anneau.onnx.OnnxTensor.ofLongs(ElementType.INT64, new long[0], 16000));
                default -> throw new IllegalStateException("unexpected input " + in);
            }
        }
        assertTrue(compare(m, inputs, 1e-3, 1e-4) <= 1);
    }

    @Test
    void miniLmQuantized() throws Exception {
        Path m = find("all-minilm-l6-v2-q.onnx");
        OnnxModel model = OnnxModel.load(m);
        long[] ids = {101, 7592, 2088, 2003, 1037, 3231, 6251, 102};
        Map<String, dev.anneau.onnx.OnnxTensor> inputs = new LinkedHashMap<>();
        for (OnnxModel.ValueInfo in : model.inputs()) {
            long[] v = switch (in.name()) {
                case "input_ids" -> ids;
                case "attention_mask" -> java.util.stream.LongStream.generate(() -> 1).limit(ids.length).toArray();
                default -> new long[ids.length];
            };
            inputs.put(in.name(), dev.anneau.onnx.OnnxTensor.ofLongs(ElementType.INT64, new long[] {1, ids.length}, v));
        }
        assertTrue(compare(m, inputs, 1e-2, 1e-3) <= 1);
    }

    /** Other models of the same packages: every float input random, free dimensions from {@code dims}. */
    static void generic(String file, Map<String, long[]> shapes) throws Exception {
        Path m = find(file);
        OnnxModel model = OnnxModel.load(m);
        Map<String, dev.anneau.onnx.OnnxTensor> inputs = new LinkedHashMap<>();
        long seed = 10;
        for (OnnxModel.ValueInfo in : model.inputs()) {
            long[] shape = shapes.containsKey(in.name()) ? shapes.get(in.name())
                    : in.dims().stream().mapToLong(d -> d.value() >= 0 ? d.value() : 1).toArray();
            if (in.type() == ElementType.INT64) {
                inputs.put(in.name(), dev.anneau.onnx.OnnxTensor.ofLongs(ElementType.INT64, shape, 16000));
            } else {
                inputs.put(in.name(), randomFloats(shape, seed++, -0.5f, 0.5f));
            }
        }
        assertTrue(compare(m, inputs, 1e-3, 1e-4) <= 1);
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
