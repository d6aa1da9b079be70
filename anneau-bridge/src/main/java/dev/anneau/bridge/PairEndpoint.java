package dev.anneau.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A page's pairing request. The service records it (the user sees it with {@code anneau pair list})
 * and tells the page the code to show; the page waits on this WebSocket. Only when the user approves
 * the origin with the CLI does the service issue the origin's token and send it here. A page can
 * never approve itself.
 */
public final class PairEndpoint implements Session.Listener.AutoDemanding {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    static final Duration EXPIRY = Duration.ofMinutes(5);

    private final String origin;
    private final PairingStore store;
    private final ScheduledExecutorService timer;
    private final ObjectMapper mapper;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;
    private volatile String code;
    private ScheduledFuture<?> poll;
    private long deadline;

    PairEndpoint(String origin, PairingStore store, ScheduledExecutorService timer, ObjectMapper mapper, Runnable onEnd) {
        this.origin = origin;
        this.store = store;
        this.timer = timer;
        this.mapper = mapper;
        this.onEnd = onEnd;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        s.setMaxTextMessageSize(1024);
        s.setMaxBinaryMessageSize(1024);
        code = store.addPending(origin);
        LOG.log(System.Logger.Level.INFO, "pairing requested by " + origin + " (code " + code + "); approve with: anneau pair approve "
                + origin);
        ObjectNode m = mapper.createObjectNode();
        m.put("type", "pairing");
        m.put("origin", origin);
        m.put("code", code);
        m.put("approve", "anneau pair approve " + origin);
        m.put("expiresInSeconds", EXPIRY.toSeconds());
        s.sendText(m.toString(), Callback.NOOP);
        deadline = System.nanoTime() + EXPIRY.toNanos();
        poll = timer.scheduleWithFixedDelay(this::check, 300, 300, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            Session s = session;
            if (ended.get() || s == null) return;
            String token = store.claim(origin, code);
            if (token != null) {
                ObjectNode m = mapper.createObjectNode();
                m.put("type", "paired");
                m.put("origin", origin);
                m.put("token", token);
                end();
                s.sendText(m.toString(), Callback.from(() -> s.close(1000, "paired", Callback.NOOP), f -> s.disconnect()));
                LOG.log(System.Logger.Level.INFO, "paired " + origin);
            } else if (System.nanoTime() - deadline > 0) {
                end();
                s.close(1008, "pairing request expired", Callback.NOOP);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pairing check failed: " + e.getClass().getSimpleName());
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) return;
        if (poll != null) poll.cancel(false);
        try {
            if (code != null) store.removePending(origin, code);
        } catch (RuntimeException ignored) {
            // the file may be gone; nothing is pending then
        }
        onEnd.run();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) { end(); }

    void shutdown() {
        end();
        Session s = session;
        if (s != null && s.isOpen()) s.close(1001, "service shutting down", Callback.NOOP);
    }
}
