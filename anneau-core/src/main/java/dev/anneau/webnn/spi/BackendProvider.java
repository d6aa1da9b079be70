package dev.anneau.webnn.spi;

import dev.anneau.webnn.MLContextOptions;

/**
 * A backend factory found by {@link java.util.ServiceLoader}. Cheap to construct; native work
 * happens in {@link #probe()} (once) and {@link #create}. The highest priority available provider
 * is chosen, unless {@code -Danneau.backend=NAME} or {@code ANNEAU_BACKEND=NAME} names one.
 */
public interface BackendProvider {
    /** Short stable name, e.g. {@code "cpu"}, {@code "ort"}. */
    String name();

    /** Higher wins when no backend is named. */
    int priority();

    /** Whether the backend can run here; never throws. */
    Availability probe();

    /** Creates a backend instance for one context. */
    Backend create(MLContextOptions options);
}
