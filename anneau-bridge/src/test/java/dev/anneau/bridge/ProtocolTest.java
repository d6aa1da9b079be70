package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.anneau.bridge.Fixture.Client;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End-to-end sessions over the JDK WebSocket client: pairing, authentication, graphs, errors, limits. */
class ProtocolTest {
    static Fixture fx;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        fx = new Fixture(Limits.defaults().withTensorLimits(1 << 20, 4 << 20, 8 << 20, 64).withMaxMessageBytes(5 << 20)
                .withContexts(3, 64));
        token = fx.pair(Fixture.PAGE);
    }

    @AfterAll
    static void stop() throws Exception { fx.close(); }

    static Client open() throws Exception {
        Client c = Client.connect(fx.port, "/v1/context", Fixture.PAGE);
        Client.Reply hello = c.call("type", "hello", "token", token, "protocol", 1);
        assertTrue(hello.ok(), hello.header().toString());
        Client.Reply ctx = c.call("type", "createContext", "options", Map.of("powerPreference", "default"));
        assertTrue(ctx.ok(), ctx.header().toString());
        return c;
    }

    static Map<String, Object> ref(long id) { return Map.of("$operand", id); }

    @Test
    void pairingFlowIssuesATokenOnlyAfterTheUserApproves() throws Exception {
        String origin = "https://pairme.example";
        try (Client page = Client.connect(fx.port, "/v1/pair", origin)) {
            Client.Reply req = page.reply();
            assertEquals("pairing", req.header().path("type").asText());
            String code = req.header().path("code").asText();
            assertEquals(7, code.length());
            var pending = fx.store.list().stream().filter(e -> e.origin().equals(origin)).findFirst().orElseThrow();
            assertFalse(pending.approved());
            assertEquals(code, pending.pendingCode());
            // the page cannot approve itself: nothing it sends changes the store
            page.ws.sendText("{\"type\":\"approve\",\"origin\":\"" + origin + "\"}", true).join();
            Thread.sleep(700);
            assertFalse(fx.store.isApproved(origin));
            assertTrue(page.inbox.isEmpty());
            // the user approves with the CLI (by code here)
            assertEquals(origin, fx.store.approveCode(code));
            Client.Reply paired = page.reply();
            assertEquals("paired", paired.header().path("type").asText());
            String t = paired.header().path("token").asText();
            assertTrue(t.length() >= 22, "at least 128 bits");
            assertTrue(fx.store.checkToken(origin, t));
            assertFalse(fx.store.checkToken(Fixture.PAGE, t), "bound to its origin");
            assertFalse(fx.store.file().toFile().exists() && java.nio.file.Files.readString(fx.store.file()).contains(t),
                    "only a hash is stored");
            // revoking makes the token useless
            assertTrue(fx.store.revoke(origin));
            assertFalse(fx.store.checkToken(origin, t));
        }
    }

    @Test
    void revokingAnOriginClosesItsOpenContexts() throws Exception {
        String origin = "https://revoked.example";
        String t = fx.pair(origin);
        try (Client c = Client.connect(fx.port, "/v1/context", origin)) {
            assertTrue(c.call("type", "hello", "token", t, "protocol", 1).ok());
            assertTrue(c.call("type", "createContext").ok());
            assertTrue(fx.store.revoke(origin));
            Client.Closed closed = c.closeEvent();
            assertEquals(1008, closed.code());
            assertEquals("pairing revoked", closed.reason());
        }
    }

    @Test
    void aTokenForAnotherOriginIsRefused() throws Exception {
        String other = fx.pair("https://third.example");
        try (Client c = Client.connect(fx.port, "/v1/context", Fixture.PAGE)) {
            Client.Reply r = c.call("type", "hello", "token", other, "protocol", 1);
            assertFalse(r.ok());
            assertEquals("SecurityError", r.errorName());
            assertEquals(1008, c.closeEvent().code());
        }
    }

    @Test
    void everythingBeforeHelloIsRefused() throws Exception {
        try (Client c = Client.connect(fx.port, "/v1/context", Fixture.PAGE)) {
            Client.Reply r = c.call("type", "createContext");
            assertEquals("SecurityError", r.errorName());
            assertEquals(1008, c.closeEvent().code());
        }
        try (Client c = Client.connect(fx.port, "/v1/context", Fixture.PAGE)) {
            c.sendRaw(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertFalse(c.reply().ok());
            assertEquals(1008, c.closeEvent().code());
        }
    }

    @Test
    void buildsAndRunsReluThenReduceSum() throws Exception {
        try (Client c = open()) {
            Client.Reply lim = c.call("type", "opSupportLimits");
            assertTrue(lim.header().path("limits").path("operators").has("relu"), lim.header().toString());
            assertTrue(c.call("type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(2, 3), "writable", true).ok());
            assertTrue(c.call("type", "createTensor", "tensor", 2, "dataType", "float32", "shape", List.of(2), "readable", true).ok());
            Client.Reply b = c.call("type", "build", "graph", 1,
                    "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(2, 3))),
                    "ops", List.of(
                            Map.of("op", "relu", "args", List.of(ref(0)), "outputs", List.of(1)),
                            Map.of("op", "reduceSum", "args", List.of(ref(1), Map.of("axes", List.of(1))), "outputs", List.of(2))),
                    "outputs", Map.of("y", 2));
            assertTrue(b.ok(), b.header().toString());
            ByteBuffer x = Fixture.floats(1, -2, 3, -4, 5, 6.5f);
            assertTrue(c.call(x, "type", "writeTensor", "tensor", 1, "byteLength", 24).ok());
            assertTrue(c.call("type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2)).ok());
            Client.Reply read = c.call("type", "readTensor", "tensor", 2);
            assertTrue(read.ok(), read.header().toString());
            assertEquals(8, read.header().path("byteLength").asInt());
            assertArrayEquals(new float[] {4, 11.5f}, Fixture.toFloats(read.payload()));

            // a second dispatch with new data reuses the graph
            assertTrue(c.call(Fixture.floats(-1, -1, -1, 2, 2, 2), "type", "writeTensor", "tensor", 1, "byteLength", 24).ok());
            assertTrue(c.call("type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2)).ok());
            assertArrayEquals(new float[] {0, 6}, Fixture.toFloats(c.call("type", "readTensor", "tensor", 2).payload()));
        }
    }

    @Test
    void constantsTravelAsPayloadBlobs() throws Exception {
        try (Client c = open()) {
            ByteBuffer blob = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
            blob.putLong(0); // padding before the constant: offsets are explicit
            blob.putFloat(-1).putFloat(2).putFloat(-3).putFloat(4).flip();
            assertTrue(c.call("type", "createTensor", "tensor", 5, "dataType", "float32", "shape", List.of(4), "readable", true).ok());
            Client.Reply b = c.call(blob, "type", "build", "graph", 7,
                    "constants", List.of(Map.of("operand", 0, "dataType", "float32", "shape", List.of(4), "offset", 8, "byteLength", 16)),
                    "ops", List.of(Map.of("op", "relu", "args", List.of(ref(0)), "outputs", List.of(1))),
                    "outputs", Map.of("out", 1));
            assertTrue(b.ok(), b.header().toString());
            assertTrue(c.call("type", "dispatch", "graph", 7, "inputs", Map.of(), "outputs", Map.of("out", 5)).ok());
            assertArrayEquals(new float[] {0, 2, 0, 4}, Fixture.toFloats(c.call("type", "readTensor", "tensor", 5).payload()));
        }
    }

    @Test
    void webnnErrorsCarryTheirNameAndTheSessionStaysUsable() throws Exception {
        try (Client c = open()) {
            assertTrue(c.call("type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(2), "readable", true,
                    "writable", true).ok());
            Client.Reply unknownOp = c.call("type", "build", "graph", 1,
                    "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(2))),
                    "ops", List.of(Map.of("op", "frobnicate", "args", List.of(ref(0)), "outputs", List.of(1))), "outputs", Map.of("y", 1));
            assertEquals("TypeError", unknownOp.errorName());
            assertTrue(unknownOp.message().contains("frobnicate"));
            Client.Reply badRank = c.call("type", "build", "graph", 2,
                    "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(2))),
                    "ops", List.of(Map.of("op", "reduceSum", "args", List.of(ref(0), Map.of("axes", List.of(5))), "outputs", List.of(1))),
                    "outputs", Map.of("y", 1));
            assertEquals("TypeError", badRank.errorName(), badRank.header().toString());
            Client.Reply cycle = c.call("type", "build", "graph", 3,
                    "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(2))),
                    "ops", List.of(Map.of("op", "relu", "args", List.of(ref(2)), "outputs", List.of(1)),
                            Map.of("op", "relu", "args", List.of(ref(1)), "outputs", List.of(2))),
                    "outputs", Map.of("y", 2));
            assertEquals("ProtocolError", cycle.errorName(), "a reference to a later operand (a cycle) is refused");
            Client.Reply wrongLength = c.call(Fixture.floats(1, 2, 3), "type", "writeTensor", "tensor", 1, "byteLength", 12);
            assertEquals("TypeError", wrongLength.errorName(), wrongLength.header().toString());
            Client.Reply lying = c.call(Fixture.floats(1, 2), "type", "writeTensor", "tensor", 1, "byteLength", 12);
            assertEquals("ProtocolError", lying.errorName());
            Client.Reply unknownTensor = c.call("type", "readTensor", "tensor", 99);
            assertEquals("TypeError", unknownTensor.errorName());
            Client.Reply destroyed = c.call("type", "destroy", "tensor", 1);
            assertTrue(destroyed.ok());
            assertEquals("TypeError", c.call("type", "readTensor", "tensor", 1).errorName());
            // hostile bytes
            c.sendRaw(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, '{'}));
            assertEquals("QuotaExceededError", c.reply().errorName());
            c.sendRaw(ByteBuffer.wrap(new byte[] {5, 0, 0, 0, '{', '"', 'a'}));
            assertEquals("ProtocolError", c.reply().errorName());
            c.ws.sendText("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", true).join();
            assertEquals("ProtocolError", c.reply().errorName());
            c.ws.sendText("{\"id\":1,\"id\":2,\"type\":\"readTensor\",\"tensor\":1}", true).join();
            assertEquals("ProtocolError", c.reply().errorName());
            // still healthy
            assertTrue(c.call("type", "createTensor", "tensor", 3, "dataType", "float32", "shape", List.of(1), "readable", true).ok());
            assertTrue(c.call("type", "readTensor", "tensor", 3).ok());
        }
    }

    @Test
    void tensorLimitsAreCheckedBeforeAllocation() throws Exception {
        try (Client c = open()) {
            Client.Reply huge = c.call("type", "createTensor", "tensor", 1, "dataType", "float32",
                    "shape", List.of(4294967295L, 4294967295L, 4294967295L, 4294967295L), "readable", true);
            assertEquals("QuotaExceededError", huge.errorName());
            assertEquals(413, huge.header().path("error").path("status").asInt());
            Client.Reply rank = c.call("type", "createTensor", "tensor", 1, "dataType", "float32",
                    "shape", List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), "readable", true);
            assertEquals(413, rank.header().path("error").path("status").asInt());
            Client.Reply tooBigDim = c.call("type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(4294967296L));
            assertEquals("ProtocolError", tooBigDim.errorName());
            Client.Reply zero = c.call("type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(0));
            assertEquals("TypeError", zero.errorName());
            // resident bytes per origin: 8 MiB; tensors of 4 MiB each
            assertTrue(c.call("type", "createTensor", "tensor", 10, "dataType", "float32", "shape", List.of(1 << 20)).ok());
            assertTrue(c.call("type", "createTensor", "tensor", 11, "dataType", "float32", "shape", List.of(1 << 20)).ok());
            Client.Reply over = c.call("type", "createTensor", "tensor", 12, "dataType", "float32", "shape", List.of(1 << 20));
            assertEquals("QuotaExceededError", over.errorName());
            assertEquals(429, over.header().path("error").path("status").asInt());
            assertTrue(c.call("type", "destroy", "tensor", 10).ok());
            assertTrue(c.call("type", "createTensor", "tensor", 12, "dataType", "float32", "shape", List.of(1 << 20)).ok());
        }
        // everything was given back when the socket closed
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fx.server.quotas().usage(Fixture.PAGE).bytes() != 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(0, fx.server.quotas().usage(Fixture.PAGE).bytes());
    }

    @Test
    void anOversizedMessageClosesWith1009() throws Exception {
        try (Client c = open()) {
            c.sendRaw(ByteBuffer.allocate((5 << 20) + 1));
            assertEquals(1009, c.closeEvent().code());
        }
    }

    @Test
    void contextsPerOriginAreLimited() throws Exception {
        String origin = "https://many.example";
        String t = fx.pair(origin);
        java.util.List<Client> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Client c = Client.connect(fx.port, "/v1/context", origin);
                assertTrue(c.call("type", "hello", "token", t, "protocol", 1).ok());
                open.add(c);
            }
            var refused = fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), "Origin: " + origin, Fixture.upgradeHeaders());
            assertEquals(429, refused.status(), refused.raw());
            assertFalse(refused.body().contains("Exception"));
        } finally {
            open.forEach(Client::close);
        }
    }

    @Test
    void aDispatchPastTheDeadlineLosesTheContextWithAClearError() throws Exception {
        try (Fixture slow = new Fixture(Limits.defaults().withTimeouts(Duration.ofMillis(1), Duration.ofMinutes(1), Duration.ofSeconds(5)))) {
            String t = slow.pair(Fixture.PAGE);
            try (Client c = Client.connect(slow.port, "/v1/context", Fixture.PAGE)) {
                assertTrue(c.call("type", "hello", "token", t, "protocol", 1).ok());
                assertTrue(c.call("type", "createContext").ok());
                int n = 1 << 23;
                assertTrue(c.call("type", "createTensor", "tensor", 1, "dataType", "float32", "shape", List.of(n), "writable", true).ok());
                assertTrue(c.call("type", "createTensor", "tensor", 2, "dataType", "float32", "shape", List.of(1), "readable", true).ok());
                assertTrue(c.call("type", "build", "graph", 1,
                        "inputs", List.of(Map.of("name", "x", "operand", 0, "dataType", "float32", "shape", List.of(n))),
                        "ops", List.of(Map.of("op", "relu", "args", List.of(ref(0)), "outputs", List.of(1)),
                                Map.of("op", "reduceSum", "args", List.of(ref(1), Map.of("keepDimensions", true)), "outputs", List.of(2))),
                        "outputs", Map.of("y", 2)).ok());
                Client.Reply r = c.call("type", "dispatch", "graph", 1, "inputs", Map.of("x", 1), "outputs", Map.of("y", 2));
                assertEquals("OperationError", r.errorName(), r.header().toString());
                assertTrue(r.message().contains("did not finish within"));
                assertEquals(1011, c.closeEvent().code());
            }
        }
    }
}
