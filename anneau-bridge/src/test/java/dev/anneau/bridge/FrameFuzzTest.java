package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.bridge.Fixture.Client;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of a recorded valid session. The decoder and request parser may answer
 * only with {@link ProtocolException}; a live session must answer every mutated message with a
 * well-formed reply and stay usable. CI runs {@code anneau.fuzz.cases} cases (default 2000); the
 * soak run is {@code mvn -o test -pl anneau-bridge -am -Dtest=FrameFuzzTest -Danneau.fuzz.cases=100000}.
 */
class FrameFuzzTest {
    static final long SEED = Long.getLong("anneau.fuzz.seed", 0x5eedL);

    static int cases() {
        String v = System.getProperty("anneau.fuzz.cases");
        return v == null || v.isBlank() ? 2000 : Integer.parseInt(v.trim());
    }

    static Limits limits() {
        return Limits.defaults().withTensorLimits(1 << 16, 1 << 18, 1 << 22, 64).withMaxMessageBytes(1 << 20);
    }

    /** A recorded valid session, as the client would send it (the first message is hello). */
    static List<ByteBuffer> corpus(String token) throws Exception {
        Client c = new Client();
        List<ByteBuffer> out = new ArrayList<>();
        Map<String, Object> ref0 = Map.of("$operand", 0), ref1 = Map.of("$operand", 1);
        out.add(c.frame(null, "type", "hello", "token", token, "protocol", 1));
        out.add(c.frame(null, "type", "createContext", "options", Map.of("powerPreference", "low-power", "accelerated", false)));
        out.add(c.frame(null, "type", "opSupportLimits"));
        out.add(c.frame(null, "type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(2, 3), "writable", true));
        out.add(c.frame(null, "type", "createTensor", "tensor", 2, "dataType", "float32", "shape", List.of(2), "readable", true));
        out.add(c.frame(Fixture.floats(1, 2, 3, 4), "type", "createTensor", "tensor", 3, "dataType", "float32", "shape", List.of(4),
                "constant", true, "byteLength", 16));
        out.add(c.frame(Fixture.floats(1, -2, 3, -4, 5, 6), "type", "writeTensor", "tensor", 1, "byteLength", 24));
        out.add(c.frame(Fixture.floats(0, 0, 1, -1), "type", "build", "graph", 1,
                "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(2, 3))),
                "constants", List.of(Map.of("operand", 5, "dataType", "float32", "shape", List.of(2), "offset", 8, "byteLength", 8)),
                "ops", List.of(Map.of("op", "relu", "args", List.of(ref0), "outputs", List.of(1)),
                        Map.of("op", "reduceSum", "args", List.of(ref1, Map.of("axes", List.of(1), "keepDimensions", false)),
                                "outputs", List.of(2))),
                "outputs", Map.of("y", 2)));
        out.add(c.frame(null, "type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2)));
        out.add(c.frame(null, "type", "readTensor", "tensor", 2));
        out.add(c.frame(null, "type", "destroy", "tensor", 3));
        out.add(c.frame(null, "type", "destroy", "graph", 1));
        return out;
    }

    static final String[] NUMBERS = {"-1", "0", "1e400", "-1e400", "9007199254740993", "99999999999999999999999999", "0.5",
            "4294967295", "4294967296", "2147483648", "-0", "null", "\"7\"", "[]", "{}", "true", "1E2", "[1,[2,[3]]]"};
    static final String[] STRINGS = {"\"\"", "\"\\ud800\"", "\"float64\"", "\"int4\"", "\"relu\"", "\"reduceSum\"", "\"conv2d\"",
            "\"concat\"", "\"split\"", "\"\\u0000\"", "\"" + "x".repeat(300) + "\"", "{\"$operand\":99}", "{\"$operand\":-1}",
            "{\"$operand\":0,\"x\":1}", "[{\"$operand\":0}]"};

    static ByteBuffer mutate(ByteBuffer original, SplittableRandom r) {
        byte[] b = new byte[original.remaining()];
        original.duplicate().get(b);
        int kind = r.nextInt(9);
        switch (kind) {
            case 0 -> { // flip bytes
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n && b.length > 0; i++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                return ByteBuffer.wrap(b);
            }
            case 1 -> { // truncate
                return ByteBuffer.wrap(b, 0, r.nextInt(b.length + 1)).slice();
            }
            case 2 -> { // extend
                byte[] e = new byte[b.length + 1 + r.nextInt(64)];
                System.arraycopy(b, 0, e, 0, b.length);
                for (int i = b.length; i < e.length; i++) e[i] = (byte) r.nextInt(256);
                return ByteBuffer.wrap(e);
            }
            case 3 -> { // lie in the header length
                if (b.length < 4) return ByteBuffer.wrap(b);
                ByteBuffer m = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int hl = m.getInt(0);
                int[] choices = {hl + 1, hl - 1, 0, -1, Integer.MAX_VALUE, b.length, b.length - 4, r.nextInt()};
                m.putInt(0, choices[r.nextInt(choices.length)]);
                return m;
            }
            case 4, 5, 6 -> { // JSON-level: replace a value
                int hl = b.length < 4 ? -1 : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                if (hl < 0 || hl > b.length - 4) return ByteBuffer.wrap(b); // already broken framing: leave it
                String json = new String(b, 4, hl, StandardCharsets.UTF_8);
                String payloadless = replaceToken(json, r);
                byte[] j = payloadless.getBytes(StandardCharsets.UTF_8);
                ByteBuffer out = ByteBuffer.allocate(4 + j.length + b.length - 4 - hl).order(ByteOrder.LITTLE_ENDIAN);
                out.putInt(j.length).put(j).put(b, 4 + hl, b.length - 4 - hl);
                return out.flip();
            }
            case 7 -> { // deep nesting or duplicate keys
                String json = r.nextBoolean() ? "[".repeat(10 + r.nextInt(5000)) : "{\"id\":1,\"type\":\"readTensor\",\"tensor\":1,\"tensor\":2}";
                byte[] j = json.getBytes(StandardCharsets.UTF_8);
                return ByteBuffer.allocate(4 + j.length).order(ByteOrder.LITTLE_ENDIAN).putInt(j.length).put(j).flip();
            }
            default -> { // random bytes
                byte[] e = new byte[r.nextInt(96)];
                for (int i = 0; i < e.length; i++) e[i] = (byte) r.nextInt(256);
                return ByteBuffer.wrap(e);
            }
        }
    }

    /** Replaces one number, string, or structural character of the JSON text. */
    static String replaceToken(String json, SplittableRandom r) {
        if (json.isEmpty()) return "{";
        for (int attempt = 0; attempt < 8; attempt++) {
            int at = r.nextInt(Math.max(1, json.length()));
            char c = json.charAt(at);
            if (Character.isDigit(c) || c == '-') {
                int end = at;
                while (end < json.length() && "0123456789.-eE+".indexOf(json.charAt(end)) >= 0) end++;
                int start = at;
                while (start > 0 && "0123456789.-eE+".indexOf(json.charAt(start - 1)) >= 0) start--;
                return json.substring(0, start) + NUMBERS[r.nextInt(NUMBERS.length)] + json.substring(end);
            }
            if (c == '"') {
                int end = json.indexOf('"', at + 1);
                if (end < 0) continue;
                return json.substring(0, at) + STRINGS[r.nextInt(STRINGS.length)] + json.substring(end + 1);
            }
            if ("{}[],:".indexOf(c) >= 0) return json.substring(0, at) + json.substring(at + 1);
        }
        return json + "}";
    }

    @Test
    void decoderAndParserThrowOnlyProtocolErrors() throws Exception {
        Limits limits = limits();
        ObjectMapper mapper = Frames.mapper(limits.maxHeaderJsonBytes());
        List<ByteBuffer> corpus = corpus("t".repeat(43));
        // the unmutated corpus parses
        for (ByteBuffer m : corpus) Requests.parse(Frames.decode(m, mapper, limits.maxHeaderJsonBytes()), limits);
        SplittableRandom root = new SplittableRandom(SEED);
        int n = cases(), protocolErrors = 0;
        for (int i = 0; i < n; i++) {
            SplittableRandom r = root.split();
            ByteBuffer m = corpus.get(r.nextInt(corpus.size()));
            int rounds = 1 + r.nextInt(3);
            for (int k = 0; k < rounds; k++) m = mutate(m, r);
            try {
                Requests.parse(Frames.decode(m, mapper, limits.maxHeaderJsonBytes()), limits);
            } catch (ProtocolException e) {
                protocolErrors++;
                assertNotNull(e.getMessage());
                assertFalse(e.getMessage().contains("Exception"), e.getMessage());
            } catch (Throwable t) {
                fail("case " + i + " (seed " + SEED + ") threw " + t, t);
            }
        }
        assertTrue(protocolErrors > n / 4, "the mutator should mostly produce invalid frames: " + protocolErrors + "/" + n);
    }

    @Test
    void aLiveSessionAnswersEveryMutatedMessageAndStaysUsable() throws Exception {
        Limits limits = limits();
        ObjectMapper mapper = Frames.mapper(limits.maxHeaderJsonBytes());
        Path dir = Files.createTempDirectory("anneau-fuzz");
        PairingStore store = new PairingStore(dir);
        String code = store.addPending(Fixture.PAGE);
        store.approve(Fixture.PAGE);
        String token = store.claim(Fixture.PAGE, code);
        List<ByteBuffer> corpus = corpus(token);
        Quotas quotas = new Quotas(limits);
        SplittableRandom root = new SplittableRandom(SEED ^ 0xabcdefL);
        int n = Math.max(200, cases() / 10), internal = 0;
        ContextSession s = null;
        for (int i = 0; i < n; i++) {
            if (s == null || i % 50 == 0) {
                if (s != null) s.close();
                s = ContextSession.open(Fixture.PAGE, store, quotas, limits, mapper, false);
                for (ByteBuffer m : corpus.subList(0, 10)) assertTrue(reply(s.handleBinary(m)).path("ok").asBoolean(), "setup");
            }
            SplittableRandom r = root.split();
            ByteBuffer m = mutate(corpus.get(r.nextInt(corpus.size())), r);
            ContextSession.Reply rep;
            try {
                rep = s.handleBinary(m);
            } catch (Throwable t) {
                fail("case " + i + " escaped the session: " + t, t);
                return;
            }
            JsonNode h = reply(rep);
            assertTrue(h.has("id") && h.has("ok"), h.toString());
            if (!h.path("ok").asBoolean()) {
                assertFalse(h.path("error").path("name").asText().isEmpty(), h.toString());
                if (h.path("error").path("message").asText().equals("internal error in the service")) internal++;
            }
            if (rep.close()) {
                s.close();
                s = null;
                continue;
            }
            // still usable: a valid read of tensor 2 answers
            JsonNode check = reply(s.handleBinary(corpus.get(9)));
            assertTrue(check.path("ok").asBoolean() || "TypeError".equals(check.path("error").path("name").asText()), check.toString());
        }
        if (s != null) s.close();
        System.out.println("session fuzz: " + n + " cases, " + internal + " internal errors (operator bugs outside the bridge)");
        Thread.sleep(200);
        assertEquals(0, quotas.usage(Fixture.PAGE).bytes(), "quota returned");
    }

    static JsonNode reply(ContextSession.Reply r) throws Exception {
        ByteBuffer b = r.message().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int hl = b.getInt();
        byte[] j = new byte[hl];
        b.get(j);
        return (ObjectNode) Fixture.MAPPER.readTree(j);
    }
}
