package dev.anneau.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The Anneau web bridge: a local service that gives web pages the WebNN API through a WebSocket
 * protocol (docs/bridge-protocol.md). Binds loopback only unless told otherwise explicitly.
 */
public final class BridgeServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    public static final int DEFAULT_PORT = 7391;

    /** How to run the service. {@code allowNonLoopback} must be set to bind anything but loopback. */
    public record Config(String host, int port, boolean allowNonLoopback, Limits limits, PairingStore store) {
        public static Config loopback(int port, PairingStore store) {
            return new Config("127.0.0.1", port, false, Limits.defaults(), store);
        }
    }

    private final Config config;
    private final Server server;
    private final ServerConnector connector;
    private final ObjectMapper mapper;
    private final Quotas quotas;
    private final ScheduledExecutorService timer;
    private final Set<ContextEndpoint> contexts = ConcurrentHashMap.newKeySet();
    private final Set<PairEndpoint> pairings = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingPairings = new AtomicInteger();
    private final SecurityGate gate;

    public BridgeServer(Config config) {
        this.config = config;
        InetAddress bind = checkBindAddress(config.host(), config.allowNonLoopback());
        Limits limits = config.limits();
        this.mapper = Frames.mapper(limits.maxHeaderJsonBytes());
        this.quotas = new Quotas(limits);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anneau-bridge-timer");
            t.setDaemon(true);
            return t;
        });

        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("anneau-bridge");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getHostAddress());
        connector.setPort(config.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(64);
        server.addConnector(connector);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(limits.maxMessageBytes());
            container.setMaxTextMessageSize(Math.min(limits.maxHeaderJsonBytes(), limits.maxMessageBytes()));
            container.setMaxFrameSize(limits.maxMessageBytes());
            container.setIdleTimeout(limits.idleTimeout());
            container.addMapping(SecurityGate.CONTEXT_PATH, (rq, rs, cb) -> {
                String origin = PairingStore.canonicalOrigin(rq.getHeaders().get(HttpHeader.ORIGIN));
                String auth = SecurityGate.bearer(rq.getHeaders().get(HttpHeader.AUTHORIZATION));
                try {
                    ContextSession s = ContextSession.open(origin, config.store(), quotas, limits, mapper,
                            auth != null && config.store().checkToken(origin, auth));
                    return new ContextEndpoint(s, timer, limits.authTimeout().toMillis(), this);
                } catch (ProtocolException e) {
                    org.eclipse.jetty.server.Response.writeError(rq, rs, cb, e.status(), e.getMessage());
                    return null;
                }
            });
            container.addMapping(SecurityGate.PAIR_PATH, (rq, rs, cb) -> {
                String origin = PairingStore.canonicalOrigin(rq.getHeaders().get(HttpHeader.ORIGIN));
                if (pendingPairings.incrementAndGet() > limits.maxPendingPairings()) {
                    pendingPairings.decrementAndGet();
                    org.eclipse.jetty.server.Response.writeError(rq, rs, cb, 429, "too many pairing requests are waiting");
                    return null;
                }
                PairEndpoint[] self = new PairEndpoint[1];
                self[0] = new PairEndpoint(origin, config.store(), timer, mapper, () -> {
                    pendingPairings.decrementAndGet();
                    pairings.remove(self[0]);
                });
                pairings.add(self[0]);
                return self[0];
            });
        });
        gate = new SecurityGate(connector::getLocalPort,
                config.allowNonLoopback() && !bind.isLoopbackAddress() ? Set.of(hostName(bind)) : Set.of(),
                config.store(), limits, mapper);
        gate.setHandler(ws);
        server.setHandler(gate);
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(5_000);
    }

    /** Loopback only, unless explicitly allowed. */
    static InetAddress checkBindAddress(String host, boolean allowNonLoopback) {
        InetAddress a;
        try {
            a = InetAddress.getByName(host == null || host.isBlank() ? "127.0.0.1" : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the bind address '" + host + "'");
        }
        if (!a.isLoopbackAddress() && !allowNonLoopback) {
            throw new IllegalArgumentException("refusing to bind " + a.getHostAddress() + ": the bridge listens on loopback only "
                    + "(127.0.0.1 or ::1); pass --allow-non-loopback to expose it, every context still needs a paired origin's token");
        }
        return a;
    }

    private static String hostName(InetAddress a) {
        String s = a.getHostAddress().toLowerCase(Locale.ROOT);
        return s.contains(":") ? "[" + s + "]" : s;
    }

    public BridgeServer start() throws Exception {
        server.start();
        LOG.log(System.Logger.Level.INFO, "Anneau bridge listening on " + url());
        return this;
    }

    public int port() { return connector.getLocalPort(); }

    public String url() {
        String h = connector.getHost();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    public Quotas quotas() { return quotas; }

    /** Requests that passed the security gate into an endpoint, by {@code "endpoint origin"} (for tests and diagnostics). */
    public java.util.Map<String, Long> admittedRequests() { return gate.admittedRequests(); }

    /** Requests refused by the Host check since the start (DNS rebinding attempts and the like). */
    public long foreignHostRefusals() { return gate.foreignHostRefusals(); }

    public Config config() { return config; }

    void opened(ContextEndpoint e) { contexts.add(e); }

    void closed(ContextEndpoint e) { contexts.remove(e); }

    /** Graceful stop: stop accepting, close WebSockets (work in flight finishes), free every context. */
    @Override
    public void close() throws Exception {
        for (PairEndpoint p : pairings) p.shutdown();
        for (ContextEndpoint c : contexts) c.shutdown();
        server.stop();
        timer.shutdownNow();
    }

    public void join() throws InterruptedException { server.join(); }

    /** Errors as small JSON bodies: no stack traces, no paths, no server version. */
    static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, org.eclipse.jetty.util.Callback callback) {
            Object st = request.getAttribute(ERROR_STATUS);
            int status = st instanceof Integer i ? i : response.getStatus();
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            String reason = org.eclipse.jetty.http.HttpStatus.getMessage(status);
            Object msg = request.getAttribute(ERROR_MESSAGE);
            if (msg instanceof String m && status != 500 && m.length() < 200 && !m.contains("/") && !m.contains("\\")) reason = m;
            String body = "{\"error\":" + quote(reason) + "}";
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }

        private static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(' ');
                else b.append(c);
            }
            return b.append('"').toString();
        }
    }
}
