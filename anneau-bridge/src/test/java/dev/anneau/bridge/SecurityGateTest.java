package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP side of the gate, with raw sockets (the JDK client refuses to forge Host headers). */
class SecurityGateTest {
    static Fixture fx;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        fx = new Fixture();
        token = fx.pair(Fixture.PAGE);
    }

    @AfterAll
    static void stop() throws Exception { fx.close(); }

    private static void assertRefused(Fixture.RawResponse r) {
        assertTrue(r.status() == 400 || r.status() == 403 || r.status() == 421, "status " + r.status() + "\n" + r.raw());
        assertFalse(r.body().contains("\"ok\""), r.raw());
        assertNull(r.header("Access-Control-Allow-Origin"), r.raw());
    }

    @Test
    void healthWithLoopbackHost() throws Exception {
        var r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Connection: close");
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.body().contains("\"ok\""));
        assertNull(r.header("Server"), "no server version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "[::1]"})
    void otherLoopbackNamesAreAllowed(String name) throws Exception {
        var r = fx.raw("GET /health HTTP/1.1", "Host: " + name + ":" + fx.port, "Connection: close");
        assertEquals(200, r.status(), r.raw());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.test:%d", "127.0.0.1.evil.test:%d", "localhost.evil.test:%d", ":%d", "127.0.0.1",
            "localhost", "127.0.0.1:1", "localhost.:%d", "127.0.0.2:%d", "0.0.0.0:%d", "[::ffff:127.0.0.1]:%d", "127.1:%d",
            "2130706433:%d", "evil.test@127.0.0.1:%d", "127.0.0.1:%d.evil.test", "127.0.0.1:0%d"})
    void foreignHostsAreRefused(String pattern) throws Exception {
        String host = pattern.formatted(fx.port);
        assertRefused(fx.raw("GET /health HTTP/1.1", "Host: " + host, "Connection: close"));
    }

    @Test
    void emptyMissingAndDuplicateHostAreRefused() throws Exception {
        assertRefused(fx.raw("GET /health HTTP/1.1", "Host: ", "Connection: close"));
        assertRefused(fx.raw("GET /health HTTP/1.1", "Connection: close"));
        assertRefused(fx.raw("GET /health HTTP/1.0"));
        assertRefused(fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Host: evil.test:" + fx.port, "Connection: close"));
        assertRefused(fx.raw("GET /health HTTP/1.1", "Host: evil.test:" + fx.port, "Host: " + fx.host(), "Connection: close"));
        assertRefused(fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Host: " + fx.host(), "Connection: close"));
    }

    @Test
    void absoluteFormTargetMustAgreeWithTheAllowList() throws Exception {
        assertRefused(fx.raw("GET http://evil.test:" + fx.port + "/health HTTP/1.1", "Host: " + fx.host(), "Connection: close"));
    }

    @Test
    void foreignHostIsRefusedOnTheWebSocketUpgradeToo() throws Exception {
        var r = fx.raw("GET /v1/context HTTP/1.1", "Host: rebind.test:" + fx.port, "Origin: " + Fixture.PAGE, Fixture.upgradeHeaders());
        assertRefused(r);
        r = fx.raw("GET /v1/pair HTTP/1.1", "Host: rebind.test:" + fx.port, "Origin: " + Fixture.PAGE, Fixture.upgradeHeaders());
        assertRefused(r);
    }

    @Test
    void unpairedOriginGetsNoCorsAndNoData() throws Exception {
        var r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER, "Connection: close");
        assertEquals(403, r.status(), r.raw());
        assertNull(r.header("Access-Control-Allow-Origin"));
        r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Origin: null", "Connection: close");
        assertEquals(403, r.status(), r.raw());
        r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Origin: " + Fixture.PAGE, "Connection: close");
        assertEquals(403, r.status(), r.raw());
    }

    @Test
    void pairedOriginIsEchoedExactlyNeverWildcardNoCredentials() throws Exception {
        var r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Connection: close");
        assertEquals(200, r.status(), r.raw());
        assertEquals(Fixture.PAGE, r.header("Access-Control-Allow-Origin"));
        assertTrue(r.header("Vary").contains("Origin"));
        assertNull(r.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void preflightWithPrivateNetworkAccess() throws Exception {
        var ok = fx.raw("OPTIONS /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE,
                "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: authorization",
                "Access-Control-Request-Private-Network: true", "Connection: close");
        assertEquals(204, ok.status(), ok.raw());
        assertEquals(Fixture.PAGE, ok.header("Access-Control-Allow-Origin"));
        assertEquals("true", ok.header("Access-Control-Allow-Private-Network"));
        assertTrue(ok.header("Vary").contains("Origin"));
        assertNull(ok.header("Access-Control-Allow-Credentials"));

        var no = fx.raw("OPTIONS /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER,
                "Access-Control-Request-Method: GET", "Access-Control-Request-Private-Network: true", "Connection: close");
        assertEquals(403, no.status(), no.raw());
        assertNull(no.header("Access-Control-Allow-Origin"));
        assertNull(no.header("Access-Control-Allow-Private-Network"));
    }

    @Test
    void infoNeedsTheOriginsOwnToken() throws Exception {
        String other = fx.pair("https://second.example");
        var none = fx.raw("GET /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Connection: close");
        assertEquals(401, none.status(), none.raw());
        var inUrl = fx.raw("GET /v1/info?token=" + token + " HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Connection: close");
        assertEquals(401, inUrl.status(), "a token in the URL is not accepted");
        var wrongOrigin = fx.raw("GET /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE,
                "Authorization: Bearer " + other, "Connection: close");
        assertEquals(401, wrongOrigin.status(), "a token is bound to its origin");
        var noOrigin = fx.raw("GET /v1/info HTTP/1.1", "Host: " + fx.host(), "Authorization: Bearer " + token, "Connection: close");
        assertEquals(403, noOrigin.status());
        var ok = fx.raw("GET /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE,
                "Authorization: Bearer " + token, "Connection: close");
        assertEquals(200, ok.status(), ok.raw());
        assertFalse(ok.body().contains(token), "the token is never echoed");
    }

    @Test
    void contextUpgradeNeedsAPairedOrigin() throws Exception {
        assertEquals(403, fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), Fixture.upgradeHeaders()).status());
        assertEquals(403, fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), "Origin: null", Fixture.upgradeHeaders()).status());
        assertEquals(403, fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER, Fixture.upgradeHeaders()).status());
        assertEquals(401, fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE,
                "Authorization: Bearer nope", Fixture.upgradeHeaders()).status());
        var ok = fx.raw("GET /v1/context HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, Fixture.upgradeHeaders());
        assertEquals(101, ok.status(), ok.raw());
    }

    @Test
    void pairingRequestNeedsAWebOrigin() throws Exception {
        assertEquals(403, fx.raw("GET /v1/pair HTTP/1.1", "Host: " + fx.host(), Fixture.upgradeHeaders()).status());
        assertEquals(403, fx.raw("GET /v1/pair HTTP/1.1", "Host: " + fx.host(), "Origin: null", Fixture.upgradeHeaders()).status());
        assertEquals(403, fx.raw("GET /v1/pair HTTP/1.1", "Host: " + fx.host(), "Origin: file://", Fixture.upgradeHeaders()).status());
    }

    @Test
    void sizeAndMethodLimits() throws Exception {
        String big = "x".repeat(20_000);
        var r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "X-Big: " + big, "Connection: close");
        assertEquals(431, r.status(), r.raw().substring(0, Math.min(200, r.raw().length())));
        r = fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Content-Length: 10000000", "Connection: close");
        assertEquals(413, r.status(), r.raw());
        r = fx.raw("POST /health HTTP/1.1", "Host: " + fx.host(), "Content-Length: 2", "Connection: close", "", "{}");
        assertEquals(405, r.status(), r.raw());
        r = fx.raw("GET /nope HTTP/1.1", "Host: " + fx.host(), "Connection: close");
        assertEquals(404, r.status());
    }

    @Test
    void errorBodiesCarryNoStackTraceOrPath() throws Exception {
        var r = fx.rawBytes(("GET /%zz HTTP/1.1\r\nHost: " + fx.host() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(r.status() >= 400, r.raw());
        assertFalse(r.body().contains("at org.") || r.body().contains("Exception") || r.body().contains(fx.dir.toString()), r.raw());
    }

    @Test
    void nonLoopbackBindIsRefusedWithoutTheFlag() {
        assertThrows(IllegalArgumentException.class, () -> BridgeServer.checkBindAddress("0.0.0.0", false));
        assertThrows(IllegalArgumentException.class, () -> BridgeServer.checkBindAddress("8.8.8.8", false));
        assertTrue(BridgeServer.checkBindAddress("127.0.0.1", false).isLoopbackAddress());
        assertTrue(BridgeServer.checkBindAddress("::1", false).isLoopbackAddress());
    }
}
