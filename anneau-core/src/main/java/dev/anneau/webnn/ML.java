package dev.anneau.webnn;

import dev.anneau.webnn.spi.Availability;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * The WebNN {@code ML} interface ({@code navigator.ml}). Finds backends with
 * {@link ServiceLoader}, probes each once, and picks one per context: the one named by
 * {@link MLContextOptions#backend()}, else {@code -Danneau.backend}, else {@code ANNEAU_BACKEND},
 * else the available provider with the highest priority. The choice is logged with the reasons
 * the others were skipped.
 */
public final class ML {
    public static final String BACKEND_PROPERTY = "anneau.backend";
    public static final String BACKEND_ENV = "ANNEAU_BACKEND";

    private static final System.Logger LOG = System.getLogger("dev.anneau.webnn.ML");

    /** A discovered provider and its probe result. */
    public record BackendInfo(String name, int priority, Availability availability, BackendProvider provider) {}

    private ML() {}

    private static final class Holder {
        // lazily, once: probing may load native code
        static final List<BackendInfo> BACKENDS = discover();
    }

    private static List<BackendInfo> discover() {
        List<BackendInfo> found = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, ML.class.getClassLoader());
        for (ServiceLoader.Provider<BackendProvider> p : loader.stream().toList()) {
            BackendProvider provider;
            try {
                provider = p.get();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "backend provider " + p.type().getName() + " failed to load: " + t);
                continue;
            }
            Availability a;
            try {
                a = provider.probe();
            } catch (Throwable t) {
                a = Availability.unavailable("probe failed: " + t);
            }
            found.add(new BackendInfo(provider.name(), provider.priority(), a, provider));
        }
        found.sort(Comparator.comparingInt(BackendInfo::priority).reversed());
        return List.copyOf(found);
    }

    /** Every backend on the class path with its probe result, highest priority first. */
    public static List<BackendInfo> backends() { return Holder.BACKENDS; }

    public static CompletableFuture<MLContext> createContext() { return createContext(MLContextOptions.defaults()); }

    /** Creates a context; the future fails with NotSupportedError when no backend fits. */
    public static CompletableFuture<MLContext> createContext(MLContextOptions options) {
        try {
            return CompletableFuture.completedFuture(createContextNow(options == null ? MLContextOptions.defaults() : options));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The synchronous form of {@link #createContext(MLContextOptions)}. */
    public static MLContext createContextNow(MLContextOptions options) {
        BackendInfo chosen = choose(options);
        Backend backend;
        try {
            backend = chosen.provider().create(options);
        } catch (WebNNException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new NotSupportedError("backend '" + chosen.name() + "' failed to start: " + e.getMessage(), e);
        }
        return new MLContext(backend, options);
    }

    private static BackendInfo choose(MLContextOptions options) {
        List<BackendInfo> all = backends();
        if (all.isEmpty()) {
            throw new NotSupportedError("no WebNN backend on the class path; add anneau-backend-cpu (pure Java) as a dependency");
        }
        String named = options.backend();
        String source = "MLContextOptions.backend";
        if (named == null || named.isBlank()) {
            named = System.getProperty(BACKEND_PROPERTY);
            source = "-D" + BACKEND_PROPERTY;
        }
        if (named == null || named.isBlank()) {
            named = System.getenv(BACKEND_ENV);
            source = BACKEND_ENV;
        }
        if (named != null && !named.isBlank()) {
            String want = named.trim().toLowerCase(Locale.ROOT);
            for (BackendInfo b : all) {
                if (b.name().equals(want)) {
                    if (!b.availability().available()) {
                        throw new NotSupportedError("backend '" + want + "' (chosen by " + source + ") is not available: "
                                + b.availability().detail());
                    }
                    logChoice(want, "WebNN backend '" + want + "' chosen by " + source);
                    return b;
                }
            }
            throw new NotSupportedError("unknown backend '" + named + "' (from " + source + "); known: "
                    + all.stream().map(BackendInfo::name).toList());
        }
        StringBuilder skipped = new StringBuilder();
        for (BackendInfo b : all) {
            if (b.availability().available()) {
                if (!options.accelerated() && b.provider() != null && isAcceleratorOnly(b)) {
                    skipped.append("; ").append(b.name()).append(": accelerated=false was asked");
                    continue;
                }
                logChoice(b.name(), "WebNN backend '" + b.name() + "' chosen (priority " + b.priority() + ")"
                        + (skipped.isEmpty() ? "" : ", skipped" + skipped.substring(1)));
                return b;
            }
            skipped.append("; ").append(b.name()).append(": ").append(b.availability().detail());
        }
        throw new NotSupportedError("no available WebNN backend:" + skipped.substring(1));
    }

    private static boolean isAcceleratorOnly(BackendInfo b) { return false; }

    private static final java.util.Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The first choice of each backend is logged at INFO, later ones (one per context) at DEBUG. */
    private static void logChoice(String backend, String message) {
        LOG.log(LOGGED.add(backend + message) ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, message);
    }
}
