package dev.anneau.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.anneau.bridge.cli.PairCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What the browser tests need around the browser: the Anneau service on a free loopback port, two page servers
 * on two more (the app origin, which the "user" approves, and a foreign origin, never approved), and the user:
 * a thread that approves the app origin's pairing requests with {@code anneau pair approve CODE}, as a person
 * would after reading the code on the page. {@code main} keeps it all running for working on the pages by hand.
 */
final class BrowserFixture implements AutoCloseable {
    private static final Pattern PAGE_FILE = Pattern.compile("/[a-z][a-z0-9-]*\\.(html|js|mjs)");
    private static final Pattern WPT_FILE = Pattern.compile("/wpt/(conformance|conformance-2025-12)/[A-Za-z0-9_-]+\\.json");
    /** The graph test folders: WPT 2025-03 and the newer tests of 2025-12 (SUITE-README). */
    private static final List<String> WPT_DIRS = List.of("conformance", "conformance-2025-12");

    final Path root;
    final Path stateDir;
    final PairingStore store;
    final BridgeServer service;
    final HttpServer app;
    final HttpServer foreign;
    final Set<String> approveOrigins = ConcurrentHashMap.newKeySet();
    final List<String> approvals = new CopyOnWriteArrayList<>();
    private final Thread approver;
    private volatile boolean closed;

    BrowserFixture() throws Exception {
        root = repositoryRoot();
        stateDir = Files.createTempDirectory("anneau-browser-state");
        store = new PairingStore(stateDir);
        service = new BridgeServer(new BridgeServer.Config("127.0.0.1", 0, false, Limits.defaults(), store)).start();
        app = pageServer();
        foreign = pageServer();
        approveOrigins.add(appOrigin());
        approveOrigins.add(serviceUrl()); // the demo page at / is a page like any other: it pairs
        approver = Thread.ofPlatform().daemon().name("anneau-test-user").start(this::approveLoop);
    }

    String serviceUrl() { return "http://127.0.0.1:" + service.port(); }

    String appOrigin() { return "http://127.0.0.1:" + app.getAddress().getPort(); }

    String foreignOrigin() { return "http://127.0.0.1:" + foreign.getAddress().getPort(); }

    Path clientDir() { return root.resolve("clients/js"); }

    /** The checkout: the first folder above the working directory that holds clients/js/package.json. */
    static Path repositoryRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("clients/js/package.json"))) return q;
        }
        throw new IllegalStateException("clients/js/package.json not found above " + p);
    }

    /** The user: approves pending requests of the app origin through the CLI, by the code the page shows. */
    private void approveLoop() {
        while (!closed) {
            try {
                for (PairingStore.Entry e : store.list()) {
                    String request = e.origin() + " " + e.pendingCode();
                    // once per request, as a person would: approving again after the page claimed its token would void it
                    if (e.pendingCode() != null && approveOrigins.contains(e.origin()) && !approvals.contains(request)) {
                        int rc = new CommandLine(new PairCommand()).execute("--state-dir", stateDir.toString(), "approve", e.pendingCode());
                        if (rc == 0) approvals.add(request);
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                return;
            } catch (RuntimeException ignored) {
                // the file was being replaced; look again
            }
        }
    }

    private HttpServer pageServer() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.createContext("/", this::page);
        s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return s;
    }

    /** Test pages (clients/js/e2e), the WPT conformance files and the runner's quirks. Any Host is fine. */
    private void page(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            byte[] body = null;
            String type = "application/json";
            if (path.equals("/wpt-index.json")) {
                List<String> names = new ArrayList<>();
                for (String dir : WPT_DIRS) {
                    try (Stream<Path> files = Files.list(root.resolve("testdata/webnn-wpt").resolve(dir))) {
                        files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("_")).sorted()
                                .forEach(n -> names.add(dir + "/" + n));
                    }
                }
                body = ("[" + String.join(",", names.stream().map(n -> "\"" + n + "\"").toList()) + "]").getBytes(StandardCharsets.UTF_8);
            } else if (WPT_FILE.matcher(path).matches()) {
                Path f = root.resolve("testdata/webnn-wpt").resolve(path.substring(5));
                if (Files.isRegularFile(f)) body = Files.readAllBytes(f);
            } else if (path.equals("/quirks.json")) {
                try (InputStream in = dev.anneau.conformance.Quirks.class.getResourceAsStream("quirks.json")) {
                    if (in != null) body = in.readAllBytes();
                }
            } else if (PAGE_FILE.matcher(path).matches()) {
                Path f = clientDir().resolve("e2e").resolve(path.substring(1));
                if (Files.isRegularFile(f)) {
                    body = Files.readAllBytes(f);
                    type = path.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8";
                }
            }
            if (body == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        approver.interrupt();
        app.stop(0);
        foreign.stop(0);
        service.close();
        try (Stream<Path> s = Files.walk(stateDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs everything until killed, printing the URLs (for working on the test pages by hand). */
    public static void main(String[] args) throws Exception {
        BrowserFixture f = new BrowserFixture();
        System.out.println("ANNEAU_SERVICE=" + f.serviceUrl() + " ANNEAU_APP=" + f.appOrigin() + " ANNEAU_FOREIGN=" + f.foreignOrigin());
        System.out.flush();
        Thread.currentThread().join();
    }
}
