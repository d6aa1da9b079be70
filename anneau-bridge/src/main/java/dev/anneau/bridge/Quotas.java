package dev.anneau.bridge;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Per-origin and service-wide resource accounting; reservations happen before any allocation. */
public final class Quotas {
    private final Limits limits;
    private final ConcurrentHashMap<String, Usage> byOrigin = new ConcurrentHashMap<>();
    private final AtomicInteger contexts = new AtomicInteger();

    public Quotas(Limits limits) { this.limits = limits; }

    /** One origin's usage. */
    public static final class Usage {
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger tensors = new AtomicInteger();
        final AtomicInteger graphs = new AtomicInteger();
        final AtomicInteger contexts = new AtomicInteger();

        public long bytes() { return bytes.get(); }

        public int tensors() { return tensors.get(); }

        public int graphs() { return graphs.get(); }

        public int contexts() { return contexts.get(); }
    }

    public Usage usage(String origin) { return byOrigin.computeIfAbsent(origin, k -> new Usage()); }

    public int contexts() { return contexts.get(); }

    /** Takes a context slot for the origin, or throws a 429 naming the limit that was hit. */
    public void acquireContext(String origin) throws ProtocolException {
        Usage u = usage(origin);
        if (!inc(contexts, limits.maxContextsTotal())) {
            throw ProtocolException.quota("the service already runs " + limits.maxContextsTotal() + " contexts (its limit)");
        }
        if (!inc(u.contexts, limits.maxContextsPerOrigin())) {
            contexts.decrementAndGet();
            throw ProtocolException.quota("this origin already has " + limits.maxContextsPerOrigin() + " contexts open (its limit)");
        }
    }

    public void releaseContext(String origin) {
        usage(origin).contexts.decrementAndGet();
        contexts.decrementAndGet();
    }

    public void acquireTensor(String origin, long bytes) throws ProtocolException {
        Usage u = usage(origin);
        if (!inc(u.tensors, limits.maxTensorsPerOrigin())) {
            throw ProtocolException.quota("this origin holds " + limits.maxTensorsPerOrigin() + " tensors (its limit); destroy some first");
        }
        try {
            acquireBytes(u, bytes);
        } catch (ProtocolException e) {
            u.tensors.decrementAndGet();
            throw e;
        }
    }

    public void releaseTensor(String origin, long bytes) {
        Usage u = usage(origin);
        u.tensors.decrementAndGet();
        u.bytes.addAndGet(-bytes);
    }

    public void acquireGraph(String origin, long bytes) throws ProtocolException {
        Usage u = usage(origin);
        if (!inc(u.graphs, limits.maxGraphsPerOrigin())) {
            throw ProtocolException.quota("this origin holds " + limits.maxGraphsPerOrigin() + " graphs (its limit); destroy some first");
        }
        try {
            acquireBytes(u, bytes);
        } catch (ProtocolException e) {
            u.graphs.decrementAndGet();
            throw e;
        }
    }

    public void releaseGraph(String origin, long bytes) {
        Usage u = usage(origin);
        u.graphs.decrementAndGet();
        u.bytes.addAndGet(-bytes);
    }

    private void acquireBytes(Usage u, long bytes) throws ProtocolException {
        long max = limits.maxResidentBytesPerOrigin();
        while (true) {
            long cur = u.bytes.get();
            if (bytes > max - cur) {
                throw ProtocolException.quota("this origin would hold more than " + max + " bytes of tensors and constants (its limit)");
            }
            if (u.bytes.compareAndSet(cur, cur + bytes)) return;
        }
    }

    private static boolean inc(AtomicInteger a, int max) {
        while (true) {
            int cur = a.get();
            if (cur >= max) return false;
            if (a.compareAndSet(cur, cur + 1)) return true;
        }
    }
}
