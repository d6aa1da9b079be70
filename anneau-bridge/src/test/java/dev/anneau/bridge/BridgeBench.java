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
 * Server and clients share one JVM on loopback. Two clients carry the frames: a minimal blocking RFC 6455 client
 * on a plain socket (masking like a browser; what the transport itself costs) and the JDK's asynchronous WebSocket.
 */
@EnabledIfSystemProperty(named = "anneau.bench", matches = "true")
class BridgeBench {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int ITERATIONS = Integer.getInteger("anneau.bench.iterations", 10_000);
    static final int CLIENTS = Integer.getInteger("anneau.bench.clients", 50);
    static final int DISPATCHES = Integer.getInteger("anneau.bench.dispatches", 20_000);

    // ------------------------------------------------------------------ protocol clients

    /** Which WebSocket client carries the frames. */
    enum Transport {
        /** A blocking RFC 6455 client on a plain socket (masked frames, as browsers send): the transport's own cost. */
        RAW,
        /** The JDK's {@code java.net.http.WebSocket} (asynchronous, its own executor hops). */
        JDK
    }

    /** A protocol client: frames (u32 header length, JSON header, payload) over some WebSocket. */
    abstract static class Client implements AutoCloseable {
        long nextId = 1;

        static Client open(Transport t, int port, String origin, String token) throws Exception {
            Client c = t == Transport.RAW ? RawClient.connect(port, origin) : JdkClient.connect(port, origin);
            ok(c.call(null, "type", "hello", "token", token, "protocol", 1));
            ok(c.call(null, "type", "createContext"));
            return c;
        }

        abstract void send(ByteBuffer frame) throws Exception;

        abstract ByteBuffer next() throws Exception;

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
        public abstract void close();
    }

    /** The JDK client; collects whole binary messages; each send waits for the previous one (as it requires). */
    static final class JdkClient extends Client implements WebSocket.Listener {
        final BlockingQueue<ByteBuffer> inbox = new LinkedBlockingQueue<>();
        private ByteBuffer partial = ByteBuffer.allocate(0);
        WebSocket ws;
        HttpClient http;

        static JdkClient connect(int port, String origin) {
            JdkClient c = new JdkClient();
            c.http = HttpClient.newHttpClient();
            c.ws = c.http.newWebSocketBuilder().header("Origin", origin).connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/context"), c).join();
            return c;
        }

        @Override
        public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            if (last && partial.position() == 0) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                inbox.add(copy.order(ByteOrder.LITTLE_ENDIAN));
            } else {
                if (partial.remaining() < data.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position() + data.remaining() + (1 << 20)));
                    bigger.put(partial.flip());
                    partial = bigger;
                }
                partial.put(data);
                if (last) {
                    ByteBuffer whole = ByteBuffer.allocate(partial.position());
                    whole.put(partial.flip()).flip();
                    inbox.add(whole.order(ByteOrder.LITTLE_ENDIAN));
                    partial.clear();
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) { inbox.add(ByteBuffer.allocate(0)); }

        @Override
        void send(ByteBuffer frame) { ws.sendBinary(frame.duplicate(), true).join(); }

        @Override
        ByteBuffer next() throws InterruptedException {
            ByteBuffer b = inbox.poll(30, TimeUnit.SECONDS);
            if (b == null || !b.hasRemaining()) throw new AssertionError("no reply (or the socket failed)");
            return b;
        }

        @Override
        public void close() {
            ws.sendClose(1000, "bye").exceptionally(e -> null);
            ws.abort();
            http.shutdownNow(); // its selector thread ends now rather than when collected
        }
    }

    /** A minimal blocking RFC 6455 client: one write per frame (masked with a fresh key), fragmented replies joined. */
    static final class RawClient extends Client {
        private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
        private final java.net.Socket socket;
        private final java.io.DataInputStream in;
        private final java.io.OutputStream out;
        private final java.util.Random maskKeys = new java.util.Random(RANDOM.nextLong());
        private byte[] sendBuffer = new byte[64 * 1024];

        private RawClient(java.net.Socket socket) throws java.io.IOException {
            this.socket = socket;
            this.in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 256 * 1024));
            this.out = socket.getOutputStream();
        }

        static RawClient connect(int port, String origin) throws Exception {
            java.net.Socket s = new java.net.Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            s.setSendBufferSize(1 << 20);
            s.setReceiveBufferSize(1 << 20);
            RawClient c = new RawClient(s);
            byte[] key = new byte[16];
            RANDOM.nextBytes(key);
            String req = "GET /v1/context HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Origin: " + origin + "\r\n\r\n";
            c.out.write(req.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            c.out.flush();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) c.in.readUnsignedByte());
            if (!head.toString().startsWith("HTTP/1.1 101")) throw new AssertionError("upgrade refused: " + head);
            return c;
        }

        @Override
        void send(ByteBuffer frame) throws java.io.IOException {
            int n = frame.remaining();
            int hl = n < 126 ? 2 : n < 65536 ? 4 : 10;
            int total = hl + 4 + n;
            if (sendBuffer.length < total) sendBuffer = new byte[Math.max(total, sendBuffer.length * 2)];
            byte[] b = sendBuffer;
            b[0] = (byte) 0x82; // FIN, binary
            if (hl == 2) {
                b[1] = (byte) (0x80 | n);
            } else if (hl == 4) {
                b[1] = (byte) (0x80 | 126);
                b[2] = (byte) (n >>> 8);
                b[3] = (byte) n;
            } else {
                b[1] = (byte) (0x80 | 127);
                for (int i = 0; i < 8; i++) b[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
            int mask = maskKeys.nextInt();
            int m = hl;
            b[m] = (byte) (mask >>> 24);
            b[m + 1] = (byte) (mask >>> 16);
            b[m + 2] = (byte) (mask >>> 8);
            b[m + 3] = (byte) mask;
            int p = m + 4;
            frame.duplicate().get(b, p, n);
            // mask 8 bytes at a time (the key repeats every 4 bytes; read in big-endian order)
            long mask8 = ((mask & 0xffffffffL) << 32) | (mask & 0xffffffffL);
            ByteBuffer view = ByteBuffer.wrap(b, p, n).order(ByteOrder.BIG_ENDIAN);
            int i = 0;
            for (; i + 8 <= n; i += 8) view.putLong(p + i, view.getLong(p + i) ^ mask8);
            for (; i < n; i++) b[p + i] ^= b[m + (i & 3)];
            out.write(b, 0, total);
        }

        @Override
        ByteBuffer next() throws java.io.IOException {
            byte[] msg = null;
            int len = 0;
            while (true) {
                int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
                long n = b1 & 0x7f;
                if (n == 126) n = in.readUnsignedShort();
                else if (n == 127) n = in.readLong();
                if ((b1 & 0x80) != 0) throw new AssertionError("the server masked a frame");
                int op = b0 & 0x0f;
                if (op == 8) throw new AssertionError("closed by the service");
                byte[] data = new byte[(int) n];
                in.readFully(data);
                if (op == 9 || op == 10) continue; // ping/pong: not used by the service
                if (msg == null) {
                    msg = data;
                    len = data.length;
                } else {
                    if (len + data.length > msg.length) msg = Arrays.copyOf(msg, Math.max(len + data.length, msg.length * 2));
                    System.arraycopy(data, 0, msg, len, data.length);
                    len += data.length;
                }
                if ((b0 & 0x80) != 0) return ByteBuffer.wrap(msg, 0, len).slice().order(ByteOrder.LITTLE_ENDIAN);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
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
        line("tiny graph (relu of 4 floats) dispatch + read, " + ITERATIONS + " iterations after as many for warm-up; " + load());
        line("  native Java API (cpu)                 " + nativeStats);

        for (Transport t : Transport.values()) {
            try (Fixture fx = fixture(); Client c = Client.open(t, fx.port, Fixture.PAGE, fx.pair(Fixture.PAGE))) {
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
                Stats p = Stats.of(pipelined), q = Stats.of(sequential);
                String name = String.format(Locale.ROOT, "%-4s", t.name().toLowerCase(Locale.ROOT));
                line("  WebSocket (" + name + " client), pipelined     " + p);
                line("  WebSocket (" + name + " client), sequential    " + q);
                line(String.format(Locale.ROOT, "    ratio pipelined / native (median): %.1fx; goal <= 200 us median: %s",
                        p.medianUs() / nativeStats.medianUs(), p.medianUs() <= 200 ? "met" : "NOT met"));
            }
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
        MLTensor tensor = ctx.createTensor(new MLTensorDescriptor(MLOperandDataType.FLOAT32, shape, true, true)).join();
        long[] nat = new long[iterations];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                ctx.writeTensor(tensor, data.duplicate());
                ByteBuffer r = ctx.readTensor(tensor).join();
                nat[i] = System.nanoTime() - t0;
                if (r.remaining() != bytes || r.order(ByteOrder.LITTLE_ENDIAN).getFloat(bytes - 4) != (n - 1) * 0.25f) throw new AssertionError();
            }
        }
        ctx.destroy();
        Stats nativeStats = Stats.of(nat);
        double mbNative = mbps(2.0 * bytes, nativeStats);

        // the service's own work without a socket: the same frames through a ContextSession
        Stats session;
        try (Fixture fx = fixture()) {
            String token = fx.pair(Fixture.PAGE);
            ContextSession cs = ContextSession.open(Fixture.PAGE, fx.store, fx.server.quotas(), fx.server.config().limits(), Frames.mapper(1 << 20), false);
            Client f = new JdkClient(); // only to encode frames
            Client.ok(cs.handleBinary(f.frame(null, "type", "hello", "token", token, "protocol", 1)).message());
            Client.ok(cs.handleBinary(f.frame(null, "type", "createContext")).message());
            Client.ok(cs.handleBinary(f.frame(null, "type", "createTensor", "tensor", 1, "dataType", "float32", "shape", shape, "readable", true,
                    "writable", true)).message());
            ByteBuffer write = f.frame(data, "type", "writeTensor", "tensor", 1, "byteLength", bytes);
            ByteBuffer read = f.frame(null, "type", "readTensor", "tensor", 1);
            long[] st = new long[iterations];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    ByteBuffer w = cs.handleBinary(write.duplicate()).message();
                    ByteBuffer r = cs.handleBinary(read.duplicate()).message();
                    st[i] = System.nanoTime() - t0;
                    Client.ok(w);
                    if (Client.payload(r).getFloat(bytes - 4) != (n - 1) * 0.25f) throw new AssertionError("wrong data back");
                }
            }
            cs.close();
            session = Stats.of(st);
        }
        line("1x3x224x224 float32 (" + bytes + " bytes) written and read back, " + iterations + " iterations after as many for warm-up; " + load());
        line("  native Java API (cpu)          " + nativeStats + String.format(Locale.ROOT, "  = %6.0f MB/s", mbNative));
        line("  service alone (no socket)      " + session + String.format(Locale.ROOT, "  = %6.0f MB/s", mbps(2.0 * bytes, session)));

        for (Transport t : Transport.values()) {
            try (Fixture fx = fixture(); Client c = Client.open(t, fx.port, Fixture.PAGE, fx.pair(Fixture.PAGE))) {
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
                double mb = mbps(2.0 * bytes, s);
                line(String.format(Locale.ROOT, "  WebSocket (%-4s client)        ", t.name().toLowerCase(Locale.ROOT)) + s
                        + String.format(Locale.ROOT, "  = %6.0f MB/s", mb));
                line(String.format(Locale.ROOT, "    the tensor's size / round trip: %.0f MB/s; ratio to native: %.3f; goal >= 500 MB/s (write + read bytes): %s",
                        mbps(bytes, s), mb / mbNative, mb >= 500 ? "met" : "NOT met"));
            }
        }
        line("  (MB/s = bytes written + bytes read per median round trip, 10^6 bytes)");
    }

    static double mbps(double bytes, Stats s) { return bytes / (s.medianUs() * 1e-6) / 1e6; }

    /** The machine's load while measuring (benchmarks on a shared machine). */
    static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%d cores, load average %.1f", Runtime.getRuntime().availableProcessors(), l);
    }

    // ------------------------------------------------------------------ 3. load run

    @Test
    void boundedLoadRun() throws Exception {
        try (Fixture fx = fixture()) {
            String token = fx.pair(Fixture.PAGE);
            // a small warm-up run, then the measured runs; heap after each (after GC)
            LoadResult warm = load(fx, token, Transport.RAW, Math.min(CLIENTS, 8), 800);
            load(fx, token, Transport.JDK, Math.min(CLIENTS, 8), 800);
            long heap0 = usedHeapAfterGc();
            int threads0 = Thread.activeCount();
            List<LoadResult> runs = new ArrayList<>();
            List<Long> heaps = new ArrayList<>();
            for (Transport t : List.of(Transport.RAW, Transport.JDK, Transport.RAW)) {
                runs.add(load(fx, token, t, CLIENTS, DISPATCHES));
                heaps.add(usedHeapAfterGc());
            }
            int threads1 = Thread.activeCount();
            // the native peer: the same work (write, dispatch, read) one after another on the Java API
            double nativeRate = nativeLoadRate(2000);
            line("load: " + DISPATCHES + " dispatches (write + dispatch + read, each result checked) from " + CLIENTS
                    + " concurrent WebSocket clients, each its own context and graph; " + load());
            for (LoadResult x : runs) {
                line(String.format(Locale.ROOT, "  %-4s clients: %.2f s, %,6.0f dispatches/s, errors %d, wrong or lost results %d; per dispatch %s",
                        x.transport.name().toLowerCase(Locale.ROOT), x.seconds, x.dispatches / x.seconds, x.errors, x.wrong, x.latency));
            }
            line(String.format(Locale.ROOT, "  native Java API, one thread: %,.0f dispatches/s; ratio (first run) / native: %.2f",
                    nativeRate, runs.getFirst().dispatches / runs.getFirst().seconds / nativeRate));
            StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  heap used after GC: before %.1f MiB", heap0 / 1048576.0));
            for (int i = 0; i < heaps.size(); i++) h.append(String.format(Locale.ROOT, ", after run %d %.1f MiB", i + 1, heaps.get(i) / 1048576.0));
            line(h + " (after a warm-up of " + warm.dispatches + " dispatches per client kind)");
            line("  threads before/after: " + threads0 + "/" + threads1 + "; contexts open after: " + fx.server.quotas().contexts()
                    + "; bytes held for the origin after: " + fx.server.quotas().usage(Fixture.PAGE).bytes()
                    + "; tensors: " + fx.server.quotas().usage(Fixture.PAGE).tensors() + "; graphs: " + fx.server.quotas().usage(Fixture.PAGE).graphs());
            for (LoadResult x : runs) {
                assertEquals(0, x.errors, "errors");
                assertEquals(0, x.wrong, "mixed-up or lost results");
                assertEquals(DISPATCHES / CLIENTS * CLIENTS, x.dispatches);
            }
        }
    }

    record LoadResult(Transport transport, int dispatches, double seconds, int errors, int wrong, Stats latency) {}

    /** {@code clients} WebSockets (each its own context and graph y = x * (k + 1)), {@code total} checked dispatches. */
    static LoadResult load(Fixture fx, String token, Transport transport, int clients, int total) throws Exception {
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
                    try (Client c = Client.open(transport, fx.port, Fixture.PAGE, token)) {
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
                        ready.countDown();
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
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).filter(v -> v > 0).toArray();
        return new LoadResult(transport, (int) done.get(), seconds, errors.get(), wrong.get(), Stats.of(all.length == 0 ? new long[] {0} : all));
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
