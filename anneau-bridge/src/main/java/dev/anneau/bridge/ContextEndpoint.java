package dev.anneau.bridge;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One context WebSocket. Messages are handled one at a time on a virtual thread; the next one is
 * demanded only after the reply was sent (ordering and back-pressure). The JSON/tensor logic lives
 * in {@link ContextSession}.
 */
public final class ContextEndpoint implements Session.Listener {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");

    private final ContextSession state;
    private final ScheduledExecutorService timer;
    private final long authTimeoutMs;
    private final BridgeServer owner;
    private volatile Session session;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> revocationCheck;

    ContextEndpoint(ContextSession state, ScheduledExecutorService timer, long authTimeoutMs, BridgeServer owner) {
        this.state = state;
        this.timer = timer;
        this.authTimeoutMs = authTimeoutMs;
        this.owner = owner;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        owner.opened(this);
        if (!state.authenticated()) {
            authTimer = timer.schedule(() -> {
                if (!state.authenticated()) s.close(ContextSession.CLOSE_POLICY, "authentication timeout", Callback.NOOP);
            }, authTimeoutMs, TimeUnit.MILLISECONDS);
        }
        revocationCheck = timer.scheduleWithFixedDelay(() -> {
            try {
                if (!state.stillAuthorized()) {
                    LOG.log(System.Logger.Level.INFO, "closing a context: its origin's pairing was revoked");
                    s.close(ContextSession.CLOSE_POLICY, "pairing revoked", Callback.NOOP);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "revocation check failed: " + e.getClass().getSimpleName());
            }
        }, 2, 2, TimeUnit.SECONDS);
        s.demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        Thread.ofVirtual().name("anneau-bridge-message").start(() -> {
            ContextSession.Reply r;
            try {
                r = state.handleBinary(payload);
            } finally {
                callback.succeed(); // the session copied what it keeps
            }
            send(r);
        });
    }

    @Override
    public void onWebSocketText(String message) {
        Thread.ofVirtual().name("anneau-bridge-message").start(() -> send(state.handleText(message)));
    }

    private void send(ContextSession.Reply r) {
        Session s = session;
        if (state.authenticated() && authTimer != null) authTimer.cancel(false);
        s.sendBinary(r.message(), Callback.from(() -> {
            if (r.close()) s.close(r.closeCode(), r.closeReason(), Callback.NOOP);
            else s.demand();
        }, failure -> s.disconnect()));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // e.g. a message over the size limit: Jetty closes with 1009; no details in the log
        LOG.log(System.Logger.Level.DEBUG, "context WebSocket error: " + cause.getClass().getSimpleName());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (authTimer != null) authTimer.cancel(false);
        if (revocationCheck != null) revocationCheck.cancel(false);
        state.close();
        owner.closed(this);
    }

    /** Graceful shutdown: finish the message in flight, then free everything. */
    void shutdown() {
        Session s = session;
        if (s != null && s.isOpen()) s.close(1001, "service shutting down", Callback.NOOP);
        state.close();
    }
}
