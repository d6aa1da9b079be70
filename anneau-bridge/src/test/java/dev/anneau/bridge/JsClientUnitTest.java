package dev.anneau.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The JavaScript client's own unit tests ({@code node --test test/} in clients/js: validation of all operators,
 * the WPT validation suite, numbers, framing, the browser harness's tolerance rules), run by the Maven build so
 * that {@code ./run-tests} covers them. Needs Node.js 20+ (no npm packages).
 */
@DisabledIfSystemProperty(named = "anneau.browserTests", matches = "(?i)false", disabledReason = "switched off with -Danneau.browserTests=false")
class JsClientUnitTest {
    @Test
    void nodeTestsOfTheClientPass() throws Exception {
        Path dir = BrowserFixture.repositoryRoot().resolve("clients/js");
        String node = System.getenv("ANNEAU_NODE") != null ? System.getenv("ANNEAU_NODE") : System.getProperty("anneau.node", "node");
        Process p;
        try {
            p = new ProcessBuilder(node, "--test", "test/").directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail("node not found ('" + node + "'): install Node.js 20 or newer, set ANNEAU_NODE, or skip with -Danneau.browserTests=false");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "node --test did not finish");
        String summary = out.lines().filter(l -> l.startsWith("# ") && !l.startsWith("# Subtest")).reduce("", (a, b) -> a + b + "\n");
        System.out.print(summary);
        assertEquals(0, p.exitValue(), "node --test test/ failed in clients/js:\n" + (out.length() > 6000 ? out.substring(out.length() - 6000) : out));
        assertTrue(summary.contains("# fail 0"), summary);
    }
}
