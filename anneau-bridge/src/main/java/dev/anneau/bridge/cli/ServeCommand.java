package dev.anneau.bridge.cli;

import dev.anneau.bridge.BridgeServer;
import dev.anneau.bridge.Limits;
import dev.anneau.bridge.PairingStore;
import dev.anneau.webnn.MLContextOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--model", paramLabel = "NAME=FILE.onnx",
            description = "serve an ONNX model on the inference endpoint at /v2/models/NAME (repeatable)")
    List<String> models = new ArrayList<>();

    @Option(names = "--model-backend", paramLabel = "BACKEND", description = "backend of the models' contexts, e.g. cpu or ort (default: the best available)")
    String modelBackend;

    @Option(names = "--print-token", description = "print the local token that programs send to the inference endpoint")
    boolean printToken;

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
        if (registerModels(server) != 0) return 2;
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
        System.out.println("  inference (Open Inference Protocol v2): " + server.url() + "/v2 with 'Authorization: Bearer TOKEN'"
                + (printToken ? "" : " (token: 'anneau pair token')"));
        for (var m : server.models().all()) System.out.println("    model " + m.name() + ": " + server.url() + "/v2/models/" + m.name() + " (" + m.backend() + ")");
        if (printToken) System.out.println("  token:   " + server.localToken());
        System.out.flush();
        server.join();
        stopped.await();
        return 0;
    }

    /** Loads each {@code --model NAME=FILE}; on a failure says which and why, frees what was loaded, returns 2. */
    private int registerModels(BridgeServer server) {
        MLContextOptions options = modelBackend == null ? MLContextOptions.defaults() : MLContextOptions.defaults().withBackend(modelBackend);
        for (String spec : models) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                System.err.println("anneau serve: --model takes NAME=FILE.onnx, got '" + spec + "'");
                server.models().close();
                return 2;
            }
            String name = spec.substring(0, eq);
            Path file = Path.of(spec.substring(eq + 1));
            try {
                server.models().register(name, file, options);
            } catch (RuntimeException e) {
                System.err.println("anneau serve: cannot serve model '" + name + "' from " + file + ": " + e.getMessage());
                server.models().close();
                return 2;
            }
        }
        return 0;
    }
}
