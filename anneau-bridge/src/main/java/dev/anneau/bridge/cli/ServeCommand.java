package dev.anneau.bridge.cli;

import dev.anneau.bridge.BridgeServer;
import dev.anneau.bridge.Limits;
import dev.anneau.bridge.PairingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anneau serve}: the local WebNN service for web pages. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Starts the local WebNN service that web pages reach through the Anneau",
            "navigator.ml polyfill (protocol: docs/bridge-protocol.md). Listens on",
            "loopback only. A page's origin must be paired first: the page asks, you",
            "approve with 'anneau pair approve ORIGIN'. Stop with Ctrl-C (work in",
            "flight finishes, then every context is freed)."
        })
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = BridgeServer.DEFAULT_PORT;

    @Option(names = "--host", description = "bind address: 127.0.0.1 (default) or ::1; others need --allow-non-loopback")
    String host = "127.0.0.1";

    @Option(names = "--allow-non-loopback", description = "allow a non-loopback bind address (every context still needs a paired origin and its token)")
    boolean allowNonLoopback;

    @Option(names = "--state-dir", description = "where pairings are kept (default: $ANNEAU_HOME or ~/.anneau)")
    Path stateDir;

    @Option(names = "--dispatch-deadline", description = "seconds a dispatch may run before its context is dropped (default ${DEFAULT-VALUE})")
    long deadlineSeconds = 60;

    @Option(names = "--max-tensor-mib", description = "largest tensor in MiB (default ${DEFAULT-VALUE})")
    long maxTensorMib = 256;

    @Override
    public Integer call() throws Exception {
        PairingStore store = new PairingStore(stateDir != null ? stateDir : PairingStore.defaultDir());
        Limits d = Limits.defaults();
        long tensorBytes = Math.min(maxTensorMib * 1024 * 1024, Integer.MAX_VALUE - 64);
        Limits limits = d.withTimeouts(Duration.ofSeconds(deadlineSeconds), d.idleTimeout(), d.authTimeout())
                .withTensorLimits(d.maxTensorElements(), tensorBytes, Math.max(d.maxResidentBytesPerOrigin(), tensorBytes), d.maxTensorsPerOrigin())
                .withMaxMessageBytes(tensorBytes + 1024 * 1024);
        BridgeServer server;
        try {
            server = new BridgeServer(new BridgeServer.Config(host, port, allowNonLoopback, limits, store));
        } catch (IllegalArgumentException e) {
            System.err.println("anneau serve: " + e.getMessage());
            return 2;
        }
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("anneau serve: cannot listen on " + host + ":" + port + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }, "anneau-serve-shutdown"));
        System.out.println("Anneau WebNN service on " + server.url());
        System.out.println("  demo:    open " + server.url() + "/ in a browser (it asks for pairing on first use)");
        System.out.println("  client:  " + server.url() + "/client/index.js (import { install } from it; install() gives navigator.ml)");
        System.out.println("  health:  " + server.url() + "/health");
        System.out.println("  pairing: pages ask for it; see requests with 'anneau pair list',");
        System.out.println("           approve with 'anneau pair approve ORIGIN' (pairings in " + store.file() + ")");
        System.out.flush();
        server.join();
        stopped.await();
        return 0;
    }
}
