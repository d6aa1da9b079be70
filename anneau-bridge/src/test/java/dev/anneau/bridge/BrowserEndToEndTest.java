package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Browser end-to-end tests: headless Chromium (Debian's {@code chromium}) driven by playwright-core
 * ({@code clients/js/e2e/run.mjs}) against a real service, started here. Needs node, Chromium and
 * {@code npm ci} in clients/js; when one is missing the tests fail and say what to install, unless they are
 * switched off with {@code -Danneau.browserTests=false}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisabledIfSystemProperty(named = "anneau.browserTests", matches = "(?i)false", disabledReason = "switched off with -Danneau.browserTests=false")
class BrowserEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BrowserFixture fx;
    static Path out;
    static String node;
    static String chromium;

    @BeforeAll
    static void start() throws Exception {
        Path root = BrowserFixture.repositoryRoot();
        chromium = firstNonBlank(System.getProperty("anneau.chromium"), System.getenv("ANNEAU_CHROMIUM"), "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            fail("Chromium not found at " + chromium + ". Install it (Debian: apt-get install -y chromium), or point "
                    + "ANNEAU_CHROMIUM / -Danneau.chromium at a Chromium binary, or skip these tests with -Danneau.browserTests=false");
        }
        node = firstNonBlank(System.getProperty("anneau.node"), System.getenv("ANNEAU_NODE"), "node");
        String version = nodeVersion(node);
        if (version == null) {
            fail("node not found ('" + node + "'). Install Node.js 20 or newer (Debian: apt-get install -y nodejs npm), or set "
                    + "ANNEAU_NODE, or skip these tests with -Danneau.browserTests=false");
        }
        if (!version.matches("v(2\\d|[3-9]\\d|\\d{3,})\\..*")) {
            fail("node " + version + " is too old: playwright-core needs Node.js 20 or newer (ANNEAU_NODE may point at another node)");
        }
        if (!Files.isRegularFile(root.resolve("clients/js/node_modules/playwright-core/package.json"))) {
            fail("clients/js/node_modules/playwright-core is missing: run 'npm ci' in " + root.resolve("clients/js")
                    + " (it installs the one dev dependency, playwright-core), or skip with -Danneau.browserTests=false");
        }
        out = Path.of("target", "browser-e2e").toAbsolutePath();
        Files.createDirectories(out);
        fx = new BrowserFixture();
        System.out.println("browser tests: node " + version + ", " + chromium + ", service " + fx.serviceUrl() + ", app "
                + fx.appOrigin() + ", foreign " + fx.foreignOrigin());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) fx.close();
    }

    @Test
    @Order(1)
    void wptConformanceGraphsPassInChromiumThroughThePolyfill() throws Exception {
        JsonNode r = run("wpt");
        JsonNode wpt = r.path("wpt");
        assertFalse(wpt.has("error"), "the WPT page failed: " + wpt.path("error").asText());
        List<String> failures = new ArrayList<>();
        for (JsonNode f : wpt.path("failures")) failures.add(f.path("file").asText() + " :: " + f.path("name").asText() + ": " + f.path("reason").asText());
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " WPT graphs failed in the browser");
        assertTrue(wpt.path("sets").path("conformance").path("passed").asInt() >= 500,
                "only " + wpt.path("sets").path("conformance") + " WPT graphs of testdata/webnn-wpt/conformance passed; at least 500 must run");
        assertEquals(0, wpt.path("failed").asInt());
        JsonNode demo = r.path("demo");
        assertTrue(demo.path("ok").asBoolean(), "the demo page at / must pair and show softmax(relu(x·W + b)): " + demo);
        assertTrue(r.path("ok").asBoolean(), "run.mjs reported a failure");
        assertTrue(fx.approvals.stream().anyMatch(a -> a.startsWith(fx.appOrigin() + " ")),
                "the page paired through 'anneau pair approve CODE': " + fx.approvals);
        System.out.printf("browser WPT: %d passed, %d failed, %d expected-unsupported, %d known-wrong, of %d in %d files (%d operators), "
                        + "%.1f s in the page; by folder %s%n", wpt.path("passed").asInt(), wpt.path("failed").asInt(),
                wpt.path("expectedUnsupported").asInt(), wpt.path("knownWrongExpectation").asInt(), wpt.path("total").asInt(),
                wpt.path("files").asInt(), wpt.path("operators").size(), wpt.path("seconds").asDouble(), wpt.path("sets"));
        System.out.println("demo page: " + demo.path("text").asText().replace('\n', ' '));
    }

    @Test
    @Order(2)
    void foreignOriginsRebindingAndNonCorsRequestsAreRefused() throws Exception {
        Map<String, Long> before = fx.service.admittedRequests();
        long hostRefusalsBefore = fx.service.foreignHostRefusals();
        JsonNode r = run("security");
        List<String> failed = new ArrayList<>();
        for (JsonNode c : r.path("checks")) if (!c.path("ok").asBoolean()) failed.add(c.path("name").asText() + ": " + c.path("detail"));
        assertEquals(List.of(), failed, "security checks that failed in the browser");
        assertTrue(r.path("checks").size() >= 20, "too few checks ran: " + r);
        assertTrue(r.path("ok").asBoolean(), "run.mjs reported a failure: " + r.path("error").asText(""));

        String foreign = fx.foreignOrigin();
        assertFalse(fx.store.isApproved(foreign), "the foreign origin must never be approved");
        Map<String, Long> after = fx.service.admittedRequests();
        for (String k : after.keySet()) {
            // a page may only ask for pairing: that is the one endpoint a foreign origin reaches
            if (k.endsWith(" " + foreign)) assertEquals("/v1/pair " + foreign, k, "the foreign origin reached an endpoint: " + after);
            assertFalse(k.contains("rebind.test"), "a rebinding origin reached an endpoint: " + after);
        }
        assertEquals(before.getOrDefault("/health -", 0L), after.getOrDefault("/health -", 0L),
                "no-cors / <img> requests without an Origin reached /health: " + after);
        long hostRefusals = fx.service.foreignHostRefusals() - hostRefusalsBefore;
        assertTrue(hostRefusals >= 7, "the rebinding requests (4 navigations, fetch, WebSocket, import) must reach the service and be "
                + "refused by its Host check; refusals counted: " + hostRefusals);
        assertTrue(after.getOrDefault("/v1/context " + fx.appOrigin(), 0L) > before.getOrDefault("/v1/context " + fx.appOrigin(), 0L),
                "the approved app page must have opened a context in the same browser: " + after);
        System.out.println("browser security: " + r.path("checks").size() + " checks passed; Host refusals " + hostRefusals
                + "; endpoints reached: " + after);
    }

    // ------------------------------------------------------------------ running node

    private static JsonNode run(String mode) throws Exception {
        Path results = out.resolve(mode + ".json");
        Path log = out.resolve(mode + ".log");
        Files.deleteIfExists(results);
        ProcessBuilder pb = new ProcessBuilder(node, "e2e/run.mjs", mode)
                .directory(fx.clientDir().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ANNEAU_SERVICE", fx.serviceUrl());
        env.put("ANNEAU_APP", fx.appOrigin());
        env.put("ANNEAU_FOREIGN", fx.foreignOrigin());
        env.put("ANNEAU_CHROMIUM", chromium);
        env.put("ANNEAU_RESULTS", results.toString());
        env.put("ANNEAU_WPT_SELECT", System.getProperty("anneau.browserTests.wpt", "all"));
        Process p = pb.start();
        StringBuilder text = new StringBuilder();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                    if (!line.contains("Failed to load resource") && !line.contains("blocked by CORS policy")) System.out.println(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("run.mjs " + mode + " did not finish within 5 minutes; see " + log);
        }
        pump.join(5000);
        synchronized (text) {
            Files.writeString(log, text);
        }
        if (!Files.isRegularFile(results)) fail("run.mjs " + mode + " wrote no results (exit " + p.exitValue() + "); its output:\n" + tail(text));
        JsonNode r = JSON.readTree(results.toFile());
        if (p.exitValue() != 0 && r.has("error")) fail("run.mjs " + mode + " failed: " + r.path("error").asText() + "\n" + tail(text));
        return r;
    }

    private static String tail(StringBuilder text) {
        synchronized (text) {
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text.toString();
        }
    }

    private static String nodeVersion(String node) {
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
