package dev.anneau.backend.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Loads ONNX Runtime once and remembers the outcome instead of throwing it at every use
 * (Netty's availability triad): {@link #isAvailable()}, {@link #ensureAvailability()},
 * {@link #unavailabilityCause()}. Also records what the native library really offers:
 * the execution providers compiled in and, where the library reports them, the EP devices.
 */
public final class OrtRuntime {
    private static final Throwable UNAVAILABILITY_CAUSE;
    private static final OrtEnvironment ENVIRONMENT;
    private static final EnumSet<OrtProvider> PROVIDERS;
    private static final List<String> EP_DEVICES;

    static {
        Throwable cause = null;
        OrtEnvironment env = null;
        EnumSet<OrtProvider> providers = EnumSet.noneOf(OrtProvider.class);
        List<String> devices = new ArrayList<>();
        try {
            // one thread pool for every session of the process, instead of a pool per graph
            try (OrtEnvironment.ThreadingOptions threads = new OrtEnvironment.ThreadingOptions()) {
                threads.setGlobalIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
                threads.setGlobalInterOpNumThreads(1);
                threads.setGlobalSpinControl(false); // idle workers sleep rather than spin between dispatches
                env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "anneau", threads);
            }
            providers = OrtEnvironment.getAvailableProviders();
            try {
                for (OrtEpDevice d : env.getEpDevices()) {
                    devices.add(d.getEpName() + " on " + d.getDevice().getType() + " (" + d.getDevice().getVendor() + ")");
                }
            } catch (Throwable t) {
                devices.add("EP device list unavailable: " + t.getMessage());
            }
        } catch (Throwable t) {
            cause = t;
        }
        UNAVAILABILITY_CAUSE = cause;
        ENVIRONMENT = env;
        PROVIDERS = providers;
        EP_DEVICES = List.copyOf(devices);
    }

    private OrtRuntime() {}

    public static boolean isAvailable() { return UNAVAILABILITY_CAUSE == null; }

    public static Throwable unavailabilityCause() { return UNAVAILABILITY_CAUSE; }

    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw (UnsatisfiedLinkError) new UnsatisfiedLinkError("ONNX Runtime failed to load: " + UNAVAILABILITY_CAUSE)
                    .initCause(UNAVAILABILITY_CAUSE);
        }
    }

    /** The shared environment (one per process, as ORT wants). */
    static OrtEnvironment environment() {
        ensureAvailability();
        return ENVIRONMENT;
    }

    /** Execution providers compiled into the loaded native library. */
    public static EnumSet<OrtProvider> providers() { return EnumSet.copyOf(PROVIDERS.isEmpty() ? EnumSet.noneOf(OrtProvider.class) : PROVIDERS); }

    /** EP devices the library reports (ORT 1.22+), as text. */
    public static List<String> epDevices() { return EP_DEVICES; }

    public static String version() { return isAvailable() ? ENVIRONMENT.getVersion() : "unavailable"; }
}
