package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public files (JS client, demo page) and the Fetch Metadata rule for browser requests to the API. */
class StaticFilesTest {
    static Fixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new Fixture();
        fx.pair(Fixture.PAGE);
    }

    @AfterAll
    static void stop() throws Exception { fx.close(); }

    @Test
    void theClientLoadsFromAnyWebOriginWithItsOriginEchoedAndNoCredentials() throws Exception {
        var r = fx.raw("GET /client/index.js HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER, "Sec-Fetch-Site: cross-site",
                "Sec-Fetch-Mode: cors", "Connection: close");
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.header("Content-Type").startsWith("text/javascript"), r.raw());
        assertTrue(r.body().contains("export function install"), "the polyfill's entry point");
        assertEquals(Fixture.OTHER, r.header("Access-Control-Allow-Origin"), "module scripts are CORS requests; the client is public");
        assertNull(r.header("Access-Control-Allow-Credentials"));
        assertTrue(r.header("Vary").contains("Origin"));
        assertEquals("cross-origin", r.header("Cross-Origin-Resource-Policy"));
        for (String f : new String[] {"polyfill", "validation", "session", "types", "op-constraints", "auto"}) {
            assertEquals(200, fx.raw("GET /client/" + f + ".js HTTP/1.1", "Host: " + fx.host(), "Connection: close").status(), f);
        }
        // a classic <script> (no-cors) may load it too: it is code, not data
        var script = fx.raw("GET /client/auto.js HTTP/1.1", "Host: " + fx.host(), "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors",
                "Connection: close");
        assertEquals(200, script.status());
        var head = fx.raw("HEAD /client/index.js HTTP/1.1", "Host: " + fx.host(), "Connection: close");
        assertEquals(200, head.status());
        assertTrue(Long.parseLong(head.header("Content-Length")) > 100);
    }

    @Test
    void theDemoPageIsServedSameOriginWithAStrictPolicy() throws Exception {
        var r = fx.raw("GET / HTTP/1.1", "Host: " + fx.host(), "Connection: close");
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        assertTrue(r.body().contains("demo.js"));
        assertNull(r.header("Access-Control-Allow-Origin"));
        assertEquals("DENY", r.header("X-Frame-Options"));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
                && csp.contains("connect-src 'self' ws://" + fx.host()), csp);
        assertEquals(200, fx.raw("GET /demo.js HTTP/1.1", "Host: " + fx.host(), "Connection: close").status());
        assertEquals(200, fx.raw("GET /demo.css HTTP/1.1", "Host: " + fx.host(), "Connection: close").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/client/nope.js", "/client/../pom.xml", "/client/%2e%2e/pom.xml", "/client/Index.js", "/client/index.js.map",
            "/client/", "/client/sub/index.js", "/dev/anneau/bridge/client/index.js", "/nope.html", "/..%2fpom.xml"})
    void onlyExistingFilesWithPlainNamesAreServed(String path) throws Exception {
        var r = fx.raw("GET " + path + " HTTP/1.1", "Host: " + fx.host(), "Connection: close");
        assertTrue(r.status() == 404 || r.status() == 400, path + ": " + r.raw());
        assertFalse(r.body().contains("<project"), path);
    }

    @Test
    void staticFilesStillNeedALoopbackHost() throws Exception {
        var r = fx.raw("GET /client/index.js HTTP/1.1", "Host: rebind.test:" + fx.port, "Connection: close");
        assertEquals(403, r.status());
        assertFalse(r.body().contains("export"));
    }

    @Test
    void anUnpairedOriginMayPreflightTheClientButNotTheApi() throws Exception {
        var client = fx.raw("OPTIONS /client/index.js HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER,
                "Access-Control-Request-Method: GET", "Access-Control-Request-Local-Network: true", "Connection: close");
        assertEquals(204, client.status(), client.raw());
        assertEquals("true", client.header("Access-Control-Allow-Local-Network"));
        var api = fx.raw("OPTIONS /v1/info HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER,
                "Access-Control-Request-Method: GET", "Access-Control-Request-Local-Network: true", "Connection: close");
        assertEquals(403, api.status());
        assertNull(api.header("Access-Control-Allow-Local-Network"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site|no-cors", "same-site|no-cors", "cross-site|navigate", "same-site|navigate", "cross-site|same-origin",
            "same-site|", "cross-site|nested-navigate"})
    void browserRequestsToTheApiThatAreNotCorsNeverReachAnEndpoint(String meta) throws Exception {
        String[] m = meta.split("\\|", -1);
        long before = fx.server.admittedRequests().values().stream().mapToLong(Long::longValue).sum();
        for (String path : new String[] {"/health", "/v1/info", "/v1/pair", "/v1/context"}) {
            var r = fx.raw("GET " + path + " HTTP/1.1", "Host: " + fx.host(), "Sec-Fetch-Site: " + m[0], "Sec-Fetch-Mode: " + m[1],
                    "Connection: close");
            assertEquals(403, r.status(), meta + " " + path + ": " + r.raw());
            assertTrue(r.body().contains("CORS or WebSocket"), r.raw());
            // a paired origin's page cannot be made to send them either (a form post, an <img>)
            var paired = fx.raw("GET " + path + " HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Sec-Fetch-Site: " + m[0],
                    "Sec-Fetch-Mode: " + m[1], "Connection: close");
            assertEquals(403, paired.status(), paired.raw());
            assertNull(paired.header("Access-Control-Allow-Origin"));
        }
        var upgrade = fx.raw("GET /v1/pair HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER, "Sec-Fetch-Site: " + m[0],
                "Sec-Fetch-Mode: " + m[1], Fixture.upgradeHeaders());
        assertEquals(403, upgrade.status());
        long after = fx.server.admittedRequests().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(before, after, "nothing reached an endpoint: " + fx.server.admittedRequests());
    }

    @Test
    void corsWebSocketsUserNavigationsAndPlainClientsPass() throws Exception {
        assertEquals(200, fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.PAGE, "Sec-Fetch-Site: cross-site",
                "Sec-Fetch-Mode: cors", "Connection: close").status());
        assertEquals(200, fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate",
                "Connection: close").status(), "the user typed the URL");
        assertEquals(200, fx.raw("GET /health HTTP/1.1", "Host: " + fx.host(), "Connection: close").status(), "curl");
        var ws = fx.raw("GET /v1/pair HTTP/1.1", "Host: " + fx.host(), "Origin: " + Fixture.OTHER, "Sec-Fetch-Site: cross-site",
                "Sec-Fetch-Mode: websocket", Fixture.upgradeHeaders());
        assertEquals(101, ws.status(), ws.raw());
        assertTrue(fx.server.admittedRequests().containsKey("/v1/pair " + Fixture.OTHER), fx.server.admittedRequests().toString());
    }
}
