package dev.anneau.cli;

import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLReduceOptions;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark cases shared by {@code anneau bench} (quick, in-process) and the JMH benchmarks of
 * anneau-bench: float32 graphs with fixed, seeded data, each built on one {@link Peer} and timed as
 * dispatch + read of the output (the read waits for the dispatch).
 */
public final class BenchCases {
    private BenchCases() {}

    /** The system property the CPU backend reads when a context is created: {@code false} = scalar kernels. */
    static final String VECTOR_PROPERTY = "anneau.vector";

    /** What a case runs on. */
    public enum Peer {
        /** The CPU backend on its Vector API kernels (when the JVM has them; see {@code anneau info}). */
        CPU_VECTOR("cpu-vector", "cpu", false),
        /** The CPU backend on its scalar kernels: the same kernel code with the plain-loop inner loops. */
        CPU_SCALAR("cpu-scalar", "cpu", true),
        /** The ONNX Runtime backend (CPU execution provider). */
        ORT("ort", "ort", false);

        public final String key;
        public final String backend;
        final boolean scalar;

        Peer(String key, String backend, boolean scalar) {
            this.key = key;
            this.backend = backend;
            this.scalar = scalar;
        }

        public static Peer of(String key) {
            for (Peer p : values()) if (p.key.equals(key)) return p;
            throw new IllegalArgumentException("unknown peer '" + key + "'; known: " + keys(values()));
        }
    }

    /** The cases. */
    public enum Case {
        MATMUL("matmul512", "matmul [512,512] x [512,512] (constant)"),
        CONV("conv2d", "conv2d [1,64,56,56] * [64,64,3,3], pad 1, bias"),
        MLP("mlp", "MLP [32,784] -> 256 -> 256 -> 10: matmul+add+relu, softmax"),
        ELEMENTWISE("eltwise", "relu(add(x, y)), [1024,1024]"),
        REDUCE("reduce", "reduceSum over the last axis, [1024,1024]"),
        TINY("tiny", "dispatch overhead: add [2,2] + constant");

        public final String key;
        public final String description;

        Case(String key, String description) {
            this.key = key;
            this.description = description;
        }

        public static Case of(String key) {
            for (Case c : values()) if (c.key.equals(key)) return c;
            throw new IllegalArgumentException("unknown case '" + key + "'; known: " + keys(values()));
        }
    }

    static String keys(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v instanceof Case c ? c.key : ((Peer) v).key).toList().toString();
    }

    /** A case built on one context, inputs written, ready to {@link #run}. */
    public static final class Prepared implements AutoCloseable {
        private final MLContext context;
        private final MLGraph graph;
        private final Map<String, MLTensor> inputs;
        private final Map<String, MLTensor> outputs;
        private final MLTensor output;
        private final ByteBuffer result;

        Prepared(MLContext context, MLGraph graph, Map<String, MLTensor> inputs, MLTensor output) {
            this.context = context;
            this.graph = graph;
            this.inputs = inputs;
            this.outputs = Map.of("y", output);
            this.output = output;
            this.result = ByteBuffer.allocate(Math.toIntExact(byteLength(output))).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** One dispatch, waited for by reading the output into a buffer allocated once. */
        public void run() {
            context.dispatch(graph, inputs, outputs);
            result.clear();
            context.readTensor(output, result).join();
        }

        /** The output of the last {@link #run}. */
        public float[] output() {
            float[] f = new float[result.capacity() / 4];
            result.duplicate().order(ByteOrder.LITTLE_ENDIAN).rewind().asFloatBuffer().get(f);
            return f;
        }

        @Override
        public void close() { context.destroy(); }
    }

    private static long byteLength(MLTensor t) {
        long n = 4;
        for (long d : t.shape()) n *= d;
        return n;
    }

    /**
     * Builds {@code c} on a new context of {@code peer} (for {@link Peer#CPU_SCALAR}, with
     * {@code -Danneau.vector=false} set while the context is created) and writes its inputs.
     */
    public static Prepared prepare(Case c, Peer peer) {
        MLContext ctx;
        if (peer.scalar) {
            String before = System.getProperty(VECTOR_PROPERTY);
            System.setProperty(VECTOR_PROPERTY, "false");
            try {
                ctx = ML.createContextNow(new MLContextOptions().withBackend(peer.backend));
            } finally {
                if (before == null) System.clearProperty(VECTOR_PROPERTY);
                else System.setProperty(VECTOR_PROPERTY, before);
            }
        } else {
            ctx = ML.createContextNow(new MLContextOptions().withBackend(peer.backend));
        }
        try {
            MLGraphBuilder b = new MLGraphBuilder(ctx);
            SplittableRandom r = new SplittableRandom(42);
            Map<String, float[]> data = new LinkedHashMap<>();
            MLOperand y = switch (c) {
                case MATMUL -> b.matmul(input(b, data, r, "a", 512, 512), constant(b, r, 512, 512));
                case CONV -> b.conv2d(input(b, data, r, "x", 1, 64, 56, 56), constant(b, r, 64, 64, 3, 3),
                        new MLConv2dOptions().withPadding(1, 1, 1, 1).withBias(constant(b, r, 64)));
                case MLP -> {
                    MLOperand h = input(b, data, r, "x", 32, 784);
                    h = b.relu(b.add(b.matmul(h, constant(b, r, 784, 256)), constant(b, r, 256)));
                    h = b.relu(b.add(b.matmul(h, constant(b, r, 256, 256)), constant(b, r, 256)));
                    yield b.softmax(b.add(b.matmul(h, constant(b, r, 256, 10)), constant(b, r, 10)), 1);
                }
                case ELEMENTWISE -> b.relu(b.add(input(b, data, r, "x", 1024, 1024), input(b, data, r, "z", 1024, 1024)));
                case REDUCE -> b.reduceSum(input(b, data, r, "x", 1024, 1024), new MLReduceOptions().withAxes(1));
                case TINY -> b.add(input(b, data, r, "x", 2, 2), constant(b, r, 2, 2));
            };
            MLGraph graph = b.build(Map.of("y", y)).join();
            Map<String, MLTensor> inputs = new LinkedHashMap<>();
            for (var e : data.entrySet()) {
                long[] shape = graph.inputs().get(e.getKey()).longShape();
                MLTensor t = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, shape, false, true)).join();
                ctx.writeTensor(t, e.getValue());
                inputs.put(e.getKey(), t);
            }
            MLTensor out = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, y.shape(), true, false)).join();
            return new Prepared(ctx, graph, inputs, out);
        } catch (RuntimeException e) {
            ctx.destroy();
            throw e;
        }
    }

    /** A graph input of uniform values in [-1, 1). */
    private static MLOperand input(MLGraphBuilder b, Map<String, float[]> data, SplittableRandom r, String name,
                                   int... shape) {
        data.put(name, values(r, size(shape), 1));
        return b.input(name, new MLOperandDescriptor(MLOperandDataType.FLOAT32, shape));
    }

    /**
     * A constant of uniform values in [-1, 1) over the square root of its fan-in (rows of a matrix,
     * I*H*W of an OIHW filter), so that activations stay near 1 through the layers.
     */
    private static MLOperand constant(MLGraphBuilder b, SplittableRandom r, int... shape) {
        int n = size(shape);
        int fanIn = shape.length == 4 ? n / shape[0] : shape.length == 2 ? shape[0] : 1;
        return b.constant(new MLOperandDescriptor(MLOperandDataType.FLOAT32, shape), values(r, n, 1 / Math.sqrt(fanIn)));
    }

    private static int size(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static float[] values(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }

    /** {@code nanos} as a short human figure: 812 ns, 35.2 us, 4.18 ms, 1.02 s. */
    public static String time(double nanos) {
        if (nanos < 1e3) return String.format(Locale.ROOT, "%.0f ns", nanos);
        if (nanos < 1e6) return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        if (nanos < 1e9) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
