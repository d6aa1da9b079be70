package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLGraph;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLTensor;
import dev.anneau.webnn.MLTensorDescriptor;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmarks of the bridge (issue goals; not tests, not in the default run: the class name does not match
 * surefire's patterns and it needs {@code -Danneau.bench=true}). Each prints its numbers next to a peer
 * measured in the same run:
 * <ul>
 *   <li>round trip of a tiny graph's dispatch + read through the WebSocket vs. the same on the Java API;</li>
 *   <li>a 1x3x224x224 float32 tensor written and read back through the WebSocket vs. the Java API;</li>
 *   <li>a bounded load run: 20,000 dispatches from 50 concurrent clients, every result checked, heap before
 *       and after.</li>
 * </ul>
 * Run: {@code mvn -o -q test -pl anneau-bridge -am -Dtest=BridgeBench -Danneau.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Danneau.bench.iterations=N}, {@code -Danneau.bench.clients=N}, {@code -Danneau.bench.dispatches=N} change the sizes).
 * Server and clients share one JVM on loopback; the client is the JDK's WebSocket.
 */
@EnabledIfSystemProperty(named = "anneau.bench", matches = "true")
class BridgeBench {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int ITERATIONS = Integer.getInteger("anneau.bench.iterations", 10_000);
    static final int CLIENTS = Integer.getInteger("anneau.bench.clients", 50);
    static final int DISPATCHES = Integer.getInteger("anneau.bench.dispatches", 20_000);

    // ------------------------------------------------------------------ a lean protocol client

    /** Collects whole binary messages; each send waits for the previous one (as the JDK client requires). */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<ByteBuffer> inbox = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        WebSocket ws;
        long nextId = 1;

        static Client open(int port, String origin, String token) throws Exception {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin).connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/context"), c).join();
            c.ok(c.call(null, "type", "hello", "token", token, "protocol", 1));
            c.ok(c.call(null, "type", "createContext"));
            return c;
        }

        @Override
        public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            if (last && partial.size() == 0) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                inbox.add(copy.order(ByteOrder.LITTLE_ENDIAN));
            } else {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                partial.writeBytes(b);
                if (last) {
                    inbox.add(ByteBuffer.wrap(partial.toByteArray()).order(ByteOrder.LITTLE_ENDIAN));
                    partial.reset();
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) { inbox.add(ByteBuffer.allocate(0)); }

        ByteBuffer frame(ByteBuffer payload, Object... kv) throws Exception {
            ObjectNode h = MAPPER.createObjectNode();
            h.put("id", nextId++);
            for (int i = 0; i < kv.length; i += 2) h.set((String) kv[i], MAPPER.valueToTree(kv[i + 1]));
            byte[] json = MAPPER.writeValueAsBytes(h);
            int p = payload == null ? 0 : payload.remaining();
            ByteBuffer b = ByteBuffer.allocate(4 + json.length + p).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(json.length).put(json);
            if (payload != null) b.put(payload.duplicate());
            return b.flip();
        }

        void send(ByteBuffer frame) { ws.sendBinary(frame.duplicate(), true).join(); }

        ByteBuffer next() throws InterruptedException {
            ByteBuffer b = inbox.poll(30, TimeUnit.SECONDS);
            if (b == null || !b.hasRemaining()) throw new AssertionError("no reply (or the socket failed)");
            return b;
        }

        ByteBuffer call(ByteBuffer payload, Object... kv) throws Exception {
            send(frame(payload, kv));
            return next();
        }

        /** The reply's header; throws unless it says ok. */
        static JsonNode ok(ByteBuffer reply) throws Exception {
            int hl = reply.getInt(0);
            JsonNode h = MAPPER.readTree(reply.array(), reply.arrayOffset() + 4, hl);
            if (!h.path("ok").asBoolean()) throw new AssertionError("request failed: " + h);
            return h;
        }

        /** The payload after the header. */
        static ByteBuffer payload(ByteBuffer reply) {
            int hl = reply.getInt(0);
            return reply.duplicate().position(4 + hl).slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
            ws.sendClose(1000, "bye").exceptionally(e -> null);
            ws.abort();
        }
    }

    static Map<String, Object> ref(long id) { return Map.of("$operand", id); }

    static Fixture fixture() throws Exception {
        return new Fixture(Limits.defaults().withContexts(CLIENTS + 8, CLIENTS + 16)
                .withTensorLimits(64L * 1024 * 1024, 256L * 1024 * 1024, 4L * 1024 * 1024 * 1024, 4096));
    }

    // ------------------------------------------------------------------ statistics

    record Stats(double medianUs, double p99Us, double meanUs, int n) {
        static Stats of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            double mean = Arrays.stream(s).average().orElse(0) / 1e3;
            return new Stats(s[s.length / 2] / 1e3, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e3, mean, s.length);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "median %8.1f us   p99 %8.1f us   mean %8.1f us   (n=%d)", medianUs, p99Us, meanUs, n);
        }
    }

    static void line(String s) { System.out.println("[bench] " + s); }

    static float[] floats(ByteBuffer b) {
        float[] f = new float[b.remaining() / 4];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    // ------------------------------------------------------------------ 1. tiny graph round trip

    @Test
    void tinyGraphRoundTrip() throws Exception {
        float[] x = {-1, 2, -3, 4};
        // native Java: the same graph on the same backend, dispatch + read
        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand in = b.input("x", new MLOperandDescriptor(MLOperandDataType.FLOAT32, 4));
        MLGraph g = b.build(Map.of("y", b.relu(in))).join();
        MLTensor tx = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, new long[] {4}, false, true)).join();
        MLTensor ty = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, new long[] {4}, true, false)).join();
        ctx.writeTensor(tx, x);
        Map<String, MLTensor> ins = Map.of("x", tx), outs = Map.of("y", ty);
        long[] nat = new long[ITERATIONS];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < ITERATIONS; i++) {
                long t0 = System.nanoTime();
                ctx.dispatch(g, ins, outs);
                ByteBuffer r = ctx.readTensor(ty).join();
                nat[i] = System.nanoTime() - t0;
                if (r.order(ByteOrder.LITTLE_ENDIAN).getFloat(4) != 2f) throw new AssertionError("wrong result");
            }
        }
        ctx.destroy();
        Stats nativeStats = Stats.of(nat);

        try (Fixture fx = fixture(); Client c = Client.open(fx.port, Fixture.PAGE, fx.pair(Fixture.PAGE))) {
            Client.ok(c.call(null, "type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(4), "writable", true));
            Client.ok(c.call(null, "type", "createTensor", "tensor", 2, "dataType", "float32", "shape", List.of(4), "readable", true));
            Client.ok(c.call(Fixture.floats(x), "type", "writeTensor", "tensor", 1, "byteLength", 16));
            Client.ok(c.call(null, "type", "build", "graph", 1,
                    "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(4))),
                    "ops", List.of(Map.of("op", "relu", "args", List.of(ref(0)), "outputs", List.of(1))), "outputs", Map.of("y", 1)));
            // the frames are encoded once, as a page's client would keep them
            ByteBuffer dispatch = c.frame(null, "type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2));
            ByteBuffer read = c.frame(null, "type", "readTensor", "tensor", 2);
            long[] pipelined = new long[ITERATIONS], sequential = new long[ITERATIONS];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ITERATIONS; i++) {
                    // pipelined: dispatch and read sent back to back (the context runs them in order)
                    long t0 = System.nanoTime();
                    c.send(dispatch);
                    c.send(read);
                    ByteBuffer d = c.next();
                    ByteBuffer r = c.next();
                    pipelined[i] = System.nanoTime() - t0;
                    Client.ok(d);
                    if (Client.payload(r).getFloat(4) != 2f) throw new AssertionError("wrong result");
                    // sequential: wait for the dispatch's answer before reading
                    t0 = System.nanoTime();
                    c.send(dispatch);
                    c.next();
                    c.send(read);
                    r = c.next();
                    sequential[i] = System.nanoTime() - t0;
                    if (Client.payload(r).getFloat(4) != 2f) throw new AssertionError("wrong result");
                }
            }
            Stats p = Stats.of(pipelined), s = Stats.of(sequential);
            line("tiny graph (relu of 4 floats) dispatch + read, " + ITERATIONS + " iterations after as many for warm-up:");
            line("  native Java API (cpu)         " + nativeStats);
            line("  WebSocket, pipelined          " + p);
            line("  WebSocket, sequential (2 RTT) " + s);
            line(String.format(Locale.ROOT, "  ratio WebSocket pipelined / native (median): %.1fx; goal <= 200 us median: %s",
                    p.medianUs() / nativeStats.medianUs(), p.medianUs() <= 200 ? "met" : "NOT met"));
        }
    }

    // ------------------------------------------------------------------ 2. throughput

    @Test
    void tensorWriteReadThroughput() throws Exception {
        long[] shape = {1, 3, 224, 224};
        int n = 3 * 224 * 224, bytes = n * 4;
        ByteBuffer data = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) data.putFloat(i * 4, i * 0.25f);
        int iterations = Math.max(200, ITERATIONS / 20);

        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        MLTensor t = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, shape, true, true)).join();
        long[] nat = new long[iterations];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                ctx.writeTensor(t, data.duplicate());
                ByteBuffer r = ctx.readTensor(t).join();
                nat[i] = System.nanoTime() - t0;
                if (r.remaining() != bytes || r.order(ByteOrder.LITTLE_ENDIAN).getFloat(bytes - 4) != (n - 1) * 0.25f) throw new AssertionError();
            }
        }
        ctx.destroy();
        Stats nativeStats = Stats.of(nat);

        try (Fixture fx = fixture(); Client c = Client.open(fx.port, Fixture.PAGE, fx.pair(Fixture.PAGE))) {
            Client.ok(c.call(null, "type", "createTensor", "tensor", 1, "dataType", "float32", "shape", shape, "readable", true, "writable", true));
            ByteBuffer write = c.frame(data, "type", "writeTensor", "tensor", 1, "byteLength", bytes);
            ByteBuffer read = c.frame(null, "type", "readTensor", "tensor", 1);
            long[] ws = new long[iterations];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    c.send(write);
                    c.send(read);
                    ByteBuffer w = c.next();
                    ByteBuffer r = c.next();
                    ws[i] = System.nanoTime() - t0;
                    Client.ok(w);
                    ByteBuffer p = Client.payload(r);
                    if (p.remaining() != bytes || p.getFloat(bytes - 4) != (n - 1) * 0.25f) throw new AssertionError("wrong data back");
                }
            }
            Stats s = Stats.of(ws);
            double mbWs = 2.0 * bytes / (s.medianUs() * 1e-6) / 1e6, mbNative = 2.0 * bytes / (nativeStats.medianUs() * 1e-6) / 1e6;
            line("1x3x224x224 float32 (" + bytes + " bytes) written and read back, " + iterations + " iterations after as many for warm-up:");
            line("  native Java API (cpu)  " + nativeStats + String.format(Locale.ROOT, "  = %7.0f MB/s (write + read bytes / time)", mbNative));
            line("  WebSocket              " + s + String.format(Locale.ROOT, "  = %7.0f MB/s (write + read bytes / time)", mbWs));
            line(String.format(Locale.ROOT, "  one tensor per round trip: %.0f MB/s; ratio WebSocket / native: %.2f; goal >= 500 MB/s: %s",
                    bytes / (s.medianUs() * 1e-6) / 1e6, mbWs / mbNative, mbWs >= 500 ? "met (write + read bytes)" : "NOT met"));
        }
    }

    // ------------------------------------------------------------------ 3. load run

    @Test
    void boundedLoadRun() throws Exception {
        try (Fixture fx = fixture()) {
            String token = fx.pair(Fixture.PAGE);
            // a small warm-up run, then the measured run; heap after each (after GC)
            LoadResult warm = load(fx, token, Math.min(CLIENTS, 8), 800);
            long heap0 = usedHeapAfterGc();
            int threads0 = Thread.activeCount();
            LoadResult r = load(fx, token, CLIENTS, DISPATCHES);
            long heap1 = usedHeapAfterGc();
            LoadResult r2 = load(fx, token, CLIENTS, DISPATCHES);
            long heap2 = usedHeapAfterGc();
            int threads2 = Thread.activeCount();
            // the native peer: the same work (write, dispatch, read) one after another on the Java API
            double nativeRate = nativeLoadRate(2000);
            line("load: " + DISPATCHES + " dispatches (write + dispatch + read, each result checked) from " + CLIENTS + " concurrent WebSocket clients:");
            for (LoadResult x : List.of(r, r2)) {
                line(String.format(Locale.ROOT, "  run: %.2f s, %,.0f dispatches/s, errors %d, wrong results %d; per dispatch %s",
                        x.seconds, x.dispatches / x.seconds, x.errors, x.wrong, x.latency));
            }
            line(String.format(Locale.ROOT, "  native Java API, one thread: %,.0f dispatches/s; ratio loaded WebSocket / native: %.2f",
                    nativeRate, r.dispatches / r.seconds / nativeRate));
            line(String.format(Locale.ROOT, "  heap used after GC: before %.1f MiB, after run 1 %.1f MiB, after run 2 %.1f MiB (warm-up: %d dispatches)",
                    heap0 / 1048576.0, heap1 / 1048576.0, heap2 / 1048576.0, warm.dispatches));
            line("  threads before/after: " + threads0 + "/" + threads2 + "; contexts open after: " + fx.server.quotas().contexts()
                    + "; bytes held for the origin after: " + fx.server.quotas().usage(Fixture.PAGE).bytes());
            assertEquals(0, r.errors + r2.errors, "errors");
            assertEquals(0, r.wrong + r2.wrong, "mixed-up or lost results");
        }
    }

    record LoadResult(int dispatches, double seconds, int errors, int wrong, Stats latency) {}

    /** {@code clients} WebSockets (each its own context and graph y = x * (k + 1)), {@code total} checked dispatches. */
    static LoadResult load(Fixture fx, String token, int clients, int total) throws Exception {
        AtomicInteger errors = new AtomicInteger(), wrong = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int per = total / clients;
        long[][] lat = new long[clients][per];
        List<Future<?>> fs = new ArrayList<>();
        long t0;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(clients);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int k = 0; k < clients; k++) {
                int id = k;
                fs.add(ex.submit(() -> {
                    try (Client c = Client.open(fx.port, Fixture.PAGE, token)) {
                        float factor = id + 1;
                        Client.ok(c.call(null, "type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(4), "writable", true));
                        Client.ok(c.call(null, "type", "createTensor", "tensor", 2, "dataType", "float32", "shape", List.of(4), "readable", true));
                        Client.ok(c.call(Fixture.floats(factor), "type", "build", "graph", 1,
                                "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(4))),
                                "constants", List.of(Map.of("operand", 1, "dataType", "float32", "shape", List.of(1), "offset", 0, "byteLength", 4)),
                                "ops", List.of(Map.of("op", "mul", "args", List.of(ref(0), ref(1)), "outputs", List.of(2))),
                                "outputs", Map.of("y", 2)));
                        ByteBuffer dispatch = c.frame(null, "type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2));
                        ByteBuffer read = c.frame(null, "type", "readTensor", "tensor", 2);
                        ready.countDown();
                        go.await();
                        for (int i = 0; i < per; i++) {
                            // unique values per client and iteration: a result from another client or an earlier step shows
                            float[] x = {id, i, -id - 1, i + 0.5f};
                            long s = System.nanoTime();
                            c.send(c.frame(Fixture.floats(x), "type", "writeTensor", "tensor", 1, "byteLength", 16));
                            c.send(dispatch);
                            c.send(read);
                            ByteBuffer w = c.next(), d = c.next(), r = c.next();
                            lat[id][i] = System.nanoTime() - s;
                            try {
                                Client.ok(w);
                                Client.ok(d);
                                Client.ok(r);
                            } catch (AssertionError e) {
                                errors.incrementAndGet();
                                continue;
                            }
                            float[] y = floats(Client.payload(r));
                            if (y.length != 4 || y[0] != x[0] * factor || y[1] != x[1] * factor || y[2] != x[2] * factor || y[3] != x[3] * factor) {
                                wrong.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                    } catch (Exception | AssertionError e) {
                        errors.incrementAndGet();
                    }
                    return null;
                }));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) throw new AssertionError("clients did not connect");
            t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : fs) f.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
        int missing = (int) (per * (long) clients - done.get());
        return new LoadResult((int) done.get(), seconds, errors.get(), wrong.get() + Math.max(0, missing - errors.get()), Stats.of(all));
    }

    static double nativeLoadRate(int n) {
        MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend("cpu"));
        MLGraphBuilder b = new MLGraphBuilder(ctx);
        MLOperand in = b.input("x", new MLOperandDescriptor(MLOperandDataType.FLOAT32, 4));
        MLGraph g = b.build(Map.of("y", b.mul(in, b.constant(new MLOperandDescriptor(MLOperandDataType.FLOAT32, 1), new float[] {3})))).join();
        MLTensor tx = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, new long[] {4}, false, true)).join();
        MLTensor ty = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, new long[] {4}, true, false)).join();
        long t0 = 0;
        for (int round = 0; round < 2; round++) {
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ctx.writeTensor(tx, new float[] {i, 1, 2, 3});
                ctx.dispatch(g, Map.of("x", tx), Map.of("y", ty));
                if (ctx.readTensor(ty).join().order(ByteOrder.LITTLE_ENDIAN).getFloat(0) != i * 3f) throw new AssertionError();
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        ctx.destroy();
        return rate;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
