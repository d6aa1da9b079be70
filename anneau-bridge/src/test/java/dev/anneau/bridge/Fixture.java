package dev.anneau.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts a bridge on a free loopback port with a fresh state directory; raw HTTP and WebSocket helpers. */
final class Fixture implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String PAGE = "https://app.example";
    static final String OTHER = "https://other.example";

    final Path dir;
    final PairingStore store;
    final BridgeServer server;
    final int port;

    Fixture() throws Exception { this(Limits.defaults()); }

    Fixture(Limits limits) throws Exception {
        dir = Files.createTempDirectory("anneau-bridge-test");
        store = new PairingStore(dir);
        server = new BridgeServer(new BridgeServer.Config("127.0.0.1", 0, false, limits, store)).start();
        port = server.port();
    }

    /** Pairs {@code origin} the way the user would (request, CLI approval, claim) and returns its token. */
    String pair(String origin) {
        String code = store.addPending(origin);
        store.approve(origin);
        String token = store.claim(origin, code);
        if (token == null) throw new AssertionError("claim failed");
        return token;
    }

    @Override
    public void close() throws Exception {
        server.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ------------------------------------------------------------------ raw HTTP

    record RawResponse(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    /** Sends {@code request} verbatim (CRLF line ends added) and reads until the server closes or 5 s pass. */
    RawResponse raw(String... lines) throws IOException {
        String req = String.join("\r\n", lines) + "\r\n\r\n";
        return rawBytes(req.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawResponse rawBytes(byte[] req) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(req);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    buf.write(b, 0, n);
                    String sofar = buf.toString(StandardCharsets.ISO_8859_1);
                    if (complete(sofar)) break;
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // take what came
            }
            return parse(buf.toString(StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean complete(String s) {
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) return false;
        String head = s.substring(0, end).toLowerCase(Locale.ROOT);
        if (head.startsWith("http/1.1 101")) return true;
        int i = head.indexOf("content-length:");
        if (i < 0) return head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304");
        int nl = head.indexOf("\r\n", i);
        long len = Long.parseLong(head.substring(i + 15, nl < 0 ? head.length() : nl).trim());
        return s.length() - end - 4 >= len;
    }

    static RawResponse parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = -1;
        if (lines.length > 0 && lines[0].startsWith("HTTP/")) {
            String[] p = lines[0].split(" ");
            status = Integer.parseInt(p[1]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) headers.merge(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim(), (a, b) -> a + ", " + b);
        }
        return new RawResponse(status, headers, body, raw);
    }

    String host() { return "127.0.0.1:" + port; }

    static String upgradeHeaders() {
        return "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
    }

    // ------------------------------------------------------------------ WebSocket client

    /** A protocol client over the JDK WebSocket; replies are collected in order. */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>(); // Reply, or Closed
        final CompletableFuture<int[]> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();
        WebSocket ws;
        long nextId = 1;

        record Reply(ObjectNode header, ByteBuffer payload) {
            boolean ok() { return header.path("ok").asBoolean(false); }

            String errorName() { return header.path("error").path("name").asText(null); }

            String message() { return header.path("error").path("message").asText(""); }
        }

        record Closed(int code, String reason) {}

        static Client connect(int port, String path, String origin) {
            Client c = new Client();
            var b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (origin != null) b.header("Origin", origin);
            c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).join();
            return c;
        }

        @Override
        public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                ByteBuffer m = ByteBuffer.wrap(partial.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                partial.reset();
                int hl = m.getInt();
                byte[] json = new byte[hl];
                m.get(json);
                try {
                    inbox.add(new Reply((ObjectNode) MAPPER.readTree(json), m.slice().order(ByteOrder.LITTLE_ENDIAN)));
                } catch (IOException e) {
                    inbox.add(e);
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    inbox.add(new Reply((ObjectNode) MAPPER.readTree(text.toString()), ByteBuffer.allocate(0)));
                } catch (IOException e) {
                    inbox.add(e);
                }
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            inbox.add(new Closed(code, reason));
            closed.complete(new int[] {code});
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            inbox.add(new Closed(-1, String.valueOf(error)));
            closed.complete(new int[] {-1});
        }

        Object next() throws InterruptedException {
            Object o = inbox.poll(20, TimeUnit.SECONDS);
            if (o == null) throw new AssertionError("no reply within 20 s");
            return o;
        }

        Reply reply() throws InterruptedException {
            Object o = next();
            if (o instanceof Reply r) return r;
            throw new AssertionError("expected a reply, got " + o);
        }

        Closed closeEvent() throws InterruptedException {
            while (true) {
                Object o = next();
                if (o instanceof Closed c) return c;
            }
        }

        /** Sends a request (header fields as key/value pairs) with an optional payload; returns the reply. */
        Reply call(ByteBuffer payload, Object... kv) throws Exception {
            sendRaw(frame(payload, kv));
            return reply();
        }

        Reply call(Object... kv) throws Exception { return call(null, kv); }

        ByteBuffer frame(ByteBuffer payload, Object... kv) throws IOException {
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

        void sendRaw(ByteBuffer message) {
            ws.sendBinary(message, true).join();
        }

        @Override
        public void close() {
            if (!ws.isOutputClosed()) ws.sendClose(1000, "bye").exceptionally(e -> null);
            ws.abort();
        }
    }

    static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.flip();
    }

    static float[] toFloats(ByteBuffer b) {
        ByteBuffer d = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[d.remaining() / 4];
        for (int i = 0; i < out.length; i++) out[i] = d.getFloat();
        return out;
    }

    static JsonNode json(String s) throws IOException { return MAPPER.readTree(s); }
}
